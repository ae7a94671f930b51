package dev.nanolab.api.plugin;

import dev.nanolab.api.internal.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A registry over a fixed set of components, checked for duplicate names when built. */
final class MapRegistry implements ComponentRegistry {
    private final Map<ComponentKind<?>, Map<String, ComponentSpec<?, ?>>> byKind = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException when two modules register the same name within one kind, two kinds share an
     *                                  id or a type, or a component's kind is not among {@code kinds}
     */
    MapRegistry(List<ComponentKind<?>> kinds, Collection<ComponentSpec<?, ?>> specs) {
        for (ComponentKind<?> k : kinds) {
            for (ComponentKind<?> other : byKind.keySet())
                if (other.id().equals(k.id()) || other.type() == k.type())
                    throw new IllegalArgumentException("component kinds " + describe(other) + " and " + describe(k)
                            + " clash: kinds need distinct ids and component types");
            byKind.put(k, new LinkedHashMap<>());
        }
        List<ComponentSpec<?, ?>> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparing((ComponentSpec<?, ?> s) -> s.kind().id()).thenComparing(ComponentSpec::name));
        for (ComponentSpec<?, ?> s : sorted) {
            Map<String, ComponentSpec<?, ?>> ofKind = byKind.get(s.kind());
            if (ofKind == null)
                throw new IllegalArgumentException(s + " from module " + moduleName(s) + " is of kind " + describe(s.kind())
                        + ", which no module declares (Components.declare)");
            ComponentSpec<?, ?> previous = ofKind.putIfAbsent(s.name(), s);
            if (previous != null)
                throw new IllegalArgumentException("duplicate " + s.kind().id() + " '" + s.name() + "': registered by module "
                        + moduleName(previous) + " and by module " + moduleName(s) + "; rename one or leave one module out with --modules");
        }
    }

    private static String describe(ComponentKind<?> k) {
        return "'" + k.id() + "' (" + k.type().getName() + ")";
    }

    @Override
    public List<ComponentKind<?>> kinds() {
        return List.copyOf(byKind.keySet());
    }

    private static String moduleName(ComponentSpec<?, ?> s) {
        Module m = s.origin();
        return m.isNamed() ? m.getName() : "(unnamed: " + s.configType().getName() + ")";
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> List<ComponentSpec<?, T>> specs(ComponentKind<T> kind) {
        List<ComponentSpec<?, T>> out = new ArrayList<>();
        Map<String, ComponentSpec<?, ?>> ofKind = byKind.get(kind);
        if (ofKind == null) throw new IllegalArgumentException("component kind " + describe(kind) + " is not declared");
        for (ComponentSpec<?, ?> s : ofKind.values()) out.add((ComponentSpec<?, T>) s);
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ComponentSpec<?, T> spec(ComponentKind<T> kind, String name) {
        Map<String, ComponentSpec<?, ?>> ofKind = byKind.get(kind);
        if (ofKind == null) throw new IllegalArgumentException("component kind " + describe(kind) + " is not declared");
        ComponentSpec<?, ?> s = ofKind.get(name);
        int colon = name.indexOf(':');
        if (s == null && colon > 0) s = ofKind.get(name.substring(0, colon + 1));
        if (s == null) {
            List<String> known = new ArrayList<>(ofKind.keySet());
            throw new UnknownComponentException(kind, name, known, Suggestions.closest(name, known));
        }
        return (ComponentSpec<?, T>) s;
    }
}
