package dev.nanolab.api.plugin;

import dev.nanolab.api.config.Suggestions;
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
     * @throws IllegalArgumentException when two modules register the same name within one kind
     */
    MapRegistry(Collection<ComponentSpec<?, ?>> specs) {
        for (ComponentKind<?> k : ComponentKind.all()) byKind.put(k, new LinkedHashMap<>());
        List<ComponentSpec<?, ?>> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparing((ComponentSpec<?, ?> s) -> s.kind().id()).thenComparing(ComponentSpec::name));
        for (ComponentSpec<?, ?> s : sorted) {
            ComponentSpec<?, ?> previous = byKind.get(s.kind()).putIfAbsent(s.name(), s);
            if (previous != null)
                throw new IllegalArgumentException("duplicate " + s.kind().id() + " '" + s.name() + "': registered by module "
                        + moduleName(previous) + " and by module " + moduleName(s) + "; rename one or leave one module out with --modules");
        }
    }

    private static String moduleName(ComponentSpec<?, ?> s) {
        Module m = s.origin();
        return m.isNamed() ? m.getName() : "(unnamed: " + s.configType().getName() + ")";
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> List<ComponentSpec<?, T>> specs(ComponentKind<T> kind) {
        List<ComponentSpec<?, T>> out = new ArrayList<>();
        for (ComponentSpec<?, ?> s : byKind.get(kind).values()) out.add((ComponentSpec<?, T>) s);
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ComponentSpec<?, T> spec(ComponentKind<T> kind, String name) {
        ComponentSpec<?, ?> s = byKind.get(kind).get(name);
        int colon = name.indexOf(':');
        if (s == null && colon > 0) s = byKind.get(kind).get(name.substring(0, colon + 1));
        if (s == null) {
            List<String> known = new ArrayList<>(byKind.get(kind).keySet());
            throw new UnknownComponentException(kind, name, known, Suggestions.closest(name, known));
        }
        return (ComponentSpec<?, T>) s;
    }
}
