package dev.nanolab.api.plugin;

import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One component a plugin contributes: its kind, unique name, one-line description, typed config record, and how to
 * create it from a config.
 *
 * <p>The config type is a public record in an exported package. Its public no-argument constructor, if it has one,
 * gives the defaults; keys absent from a config file keep them. Record components map to snake_case keys
 * ({@code nLayer} is {@code n_layer}). Use {@link dev.nanolab.api.config.NoOptions} when there is nothing to set.
 *
 * @param <C> the config record type
 * @param <T> the component type of the kind
 */
public record ComponentSpec<C extends Record, T>(
        ComponentKind<T> kind, String name, String description, Class<C> configType,
        Function<? super C, ? extends T> factory) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._:+_-]*");

    public ComponentSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(configType, "configType");
        Objects.requireNonNull(factory, "factory");
        if (name == null || !NAME.matcher(name).matches())
            throw new IllegalArgumentException("component name '" + name + "' must match " + NAME.pattern());
        if (description == null || description.isBlank() || description.contains("\n"))
            throw new IllegalArgumentException("component '" + name + "' needs a one-line description");
    }

    public static <C extends Record, T> ComponentSpec<C, T> of(
            ComponentKind<T> kind, String name, String description, Class<C> configType,
            Function<? super C, ? extends T> factory) {
        return new ComponentSpec<>(kind, name, description, configType, factory);
    }

    /** Creates the component from a config of this spec's type. */
    public T create(Record config) {
        return factory.apply(configType.cast(config));
    }

    /** The defaults: a config built with the record's public no-argument constructor, or null if it has none. */
    public C defaults() {
        Constructor<C> noArgs;
        try {
            noArgs = configType.getConstructor();
        } catch (NoSuchMethodException e) {
            return null;
        }
        try {
            return noArgs.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("defaults of " + configType.getName() + " failed: " + e.getCause(), e);
        }
    }

    /** The module that contributed this component: where its factory's class lives. */
    public Module origin() {
        return factory.getClass().getModule().isNamed() ? factory.getClass().getModule() : configType.getModule();
    }

    @Override
    public String toString() {
        return kind.id() + " '" + name + "'";
    }
}
