package dev.nanolab.launcher.plugins;

import java.nio.file.Path;

/**
 * A loaded plugin, as {@code nanolab plugins} lists it.
 *
 * @param name       the plugin's name
 * @param module     its module
 * @param version    its version
 * @param apiVersion the framework-api version it was built for
 * @param location   its jar or directory, or null for plugins on the boot path
 */
public record PluginInfo(String name, String module, String version, String apiVersion, Path location) {}
