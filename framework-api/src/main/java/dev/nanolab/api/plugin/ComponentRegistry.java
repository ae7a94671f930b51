package dev.nanolab.api.plugin;

import java.util.List;

/**
 * Every component the loaded plugins contribute, by kind and name. Experiments and the training pipeline look
 * components up here; it is bound in the injector, so a plugin may also {@code @Inject} it.
 */
public interface ComponentRegistry {
    /** The components of one kind, sorted by name. */
    <T> List<ComponentSpec<?, T>> specs(ComponentKind<T> kind);

    /**
     * The component of that kind and name.
     *
     * @throws UnknownComponentException naming the kind, the name and the closest registered names
     */
    <T> ComponentSpec<?, T> spec(ComponentKind<T> kind, String name);

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
