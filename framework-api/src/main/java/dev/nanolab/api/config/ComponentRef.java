package dev.nanolab.api.config;

import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import java.util.Objects;

/**
 * A config value that names a component and carries its options, already bound to the component's config record.
 * In a config file it is written either as the name alone or as a map with a {@code name} key:
 *
 * <pre>{@code
 * model:
 *   name: gpt
 *   n_layer: 4
 *   attention: softmax1                    # a ComponentRef<AttentionVariant> inside GptConfig
 * optimizer: {name: adamw, lr: 1e-3}
 * }</pre>
 *
 * A record component of type {@code ComponentRef<AttentionVariant>} tells the binder which kind to look the name up in.
 *
 * @param kind    the kind the name is looked up in
 * @param name    the component's name
 * @param options the component's config, of its spec's config type
 * @param <T>     the component type
 */
public record ComponentRef<T>(ComponentKind<T> kind, String name, Record options) {
    public ComponentRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
    }

    /** A reference with the component's default options. */
    public static <T> ComponentRef<T> defaults(ComponentRegistry registry, ComponentKind<T> kind, String name) {
        ComponentSpec<?, T> spec = registry.spec(kind, name);
        Record d = spec.defaults();
        if (d == null) throw new IllegalArgumentException(spec + " has no defaults; configure it");
        return new ComponentRef<>(kind, name, d);
    }

    /** Creates the component. */
    public T create(ComponentRegistry registry) {
        return registry.spec(kind, name).create(options);
    }

    /** The options, as the record type the caller expects (e.g. an architecture reading its own config). */
    public <C extends Record> C options(Class<C> type) {
        if (!type.isInstance(options))
            throw new IllegalArgumentException(kind.id() + " '" + name + "' has options of type "
                    + options.getClass().getSimpleName() + ", not " + type.getSimpleName());
        return type.cast(options);
    }
}
