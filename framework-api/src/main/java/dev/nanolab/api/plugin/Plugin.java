package dev.nanolab.api.plugin;

import com.google.inject.Module;

/**
 * A nanolab plugin: one per plugin module, found with {@link java.util.ServiceLoader}
 * ({@code provides dev.nanolab.api.plugin.Plugin with ...} in its {@code module-info.java}).
 *
 * <p>A plugin contributes components through the Guice module it returns, usually one
 * {@link Components#register} call per component. All plugins' modules go into one injector.
 */
public interface Plugin {
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

    /** The Guice module through which this plugin registers its components. */
    Module module();
}
