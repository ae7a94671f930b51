package dev.nanolab.api.plugin;

import com.google.inject.Guice;
import com.google.inject.Module;
import com.google.inject.Stage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Every component the loaded plugins contribute, by kind and name. Experiments and the training pipeline look
 * components up here; it is bound in the injector ({@link ComponentsModule}), so a component's provider method may
 * take it (or its {@code Provider}) as a parameter.
 */
public interface ComponentRegistry {
    /** Every kind: the built-in ones first, then those plugins declared. */
    List<ComponentKind<?>> kinds();

    /** The kind whose component type is {@code type}, if one is declared. */
    default Optional<ComponentKind<?>> kindOf(Class<?> type) {
        return kinds().stream().filter(k -> k.type() == type).findFirst();
    }

    /** The components of one kind, sorted by name. */
    <T> List<ComponentSpec<?, T>> specs(ComponentKind<T> kind);

    /**
     * The component of that kind and name.
     *
     * @throws UnknownComponentException naming the kind, the name and the closest registered names
     */
    <T> ComponentSpec<?, T> spec(ComponentKind<T> kind, String name);

    /**
     * A registry over the given kinds and components.
     *
     * @throws IllegalArgumentException naming both modules when two components of one kind share a name, or a
     *                                  component's kind is not among {@code kinds}
     */
    static ComponentRegistry of(Collection<? extends ComponentKind<?>> kinds, Collection<? extends ComponentSpec<?, ?>> specs) {
        return new MapRegistry(new ArrayList<>(kinds), new ArrayList<>(specs));
    }

    /**
     * The components of the given plugins, wired as the launcher wires them (one injector with
     * {@link ComponentsModule}): for tests and programs that use plugins without the launcher.
     */
    static ComponentRegistry of(Plugin... plugins) {
        List<Module> modules = new ArrayList<>(List.of(plugins));
        modules.add(new ComponentsModule());
        return Guice.createInjector(Stage.PRODUCTION, modules).getInstance(ComponentRegistry.class);
    }

    /** Creates a component with its default config. */
    default <T> T createDefault(ComponentKind<T> kind, String name) {
        ComponentSpec<?, T> spec = spec(kind, name);
        Record defaults = spec.defaults();
        if (defaults == null)
            throw new IllegalArgumentException(spec + " has no defaults (" + spec.configType().getSimpleName()
                    + " has no public no-argument constructor): configure it");
        return spec.create(defaults);
    }
}
