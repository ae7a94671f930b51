package dev.nanolab.launcher.plugins;

import com.google.inject.Injector;
import dev.nanolab.api.plugin.ComponentRegistry;
import java.util.List;

/**
 * What the plugin loader produced: the plugins, their module layer, the injector their Guice modules went into, and
 * the component registry built from it.
 */
public record LoadedPlugins(List<PluginInfo> plugins, ModuleLayer layer, Injector injector, ComponentRegistry registry) {}
