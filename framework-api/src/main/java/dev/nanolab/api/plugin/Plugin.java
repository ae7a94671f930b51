package dev.nanolab.api.plugin;

/**
 * A nanolab plugin: a Guice module, one per plugin module, found with {@link java.util.ServiceLoader}
 * ({@code provides dev.nanolab.api.plugin.Plugin with ...} in its {@code module-info.java}).
 *
 * <p>A plugin extends {@link com.google.inject.AbstractModule} and contributes each component with a
 * {@link com.google.inject.multibindings.ProvidesIntoSet @ProvidesIntoSet} method that returns its
 * {@link ComponentSpec}; what a component needs (the {@link ComponentRegistry}, or anything another module binds)
 * arrives as that method's parameters. All plugins go into one injector with {@link ComponentsModule}.
 *
 * <pre>{@code
 * public final class MyPlugin extends AbstractModule implements Plugin {
 *     public String version() { return "1.0.0"; }
 *     public String apiVersion() { return NanolabApi.VERSION; }
 *
 *     @ProvidesIntoSet
 *     ComponentSpec<?, AttentionVariant> quiet() {
 *         return ComponentSpec.of(ComponentKind.ATTENTION, "quiet", "softmax1 with a temperature",
 *                 QuietConfig.class, c -> AttentionVariant.ofNormalizer(new Quiet(c.temperature())));
 *     }
 * }
 * }</pre>
 */
public interface Plugin extends com.google.inject.Module {
    /** The name shown by {@code nanolab plugins}; the module's name unless overridden. */
    default String name() {
        return getClass().getModule().isNamed() ? getClass().getModule().getName() : getClass().getName();
    }

    /** This plugin's own version. */
    String version();

    /**
     * The framework-api version this plugin was compiled against. Return
     * {@link dev.nanolab.api.NanolabApi#VERSION}: it is a compile-time constant, so the value is fixed when the
     * plugin is built, and the launcher refuses a plugin whose major version differs from the running one.
     */
    String apiVersion();
}
