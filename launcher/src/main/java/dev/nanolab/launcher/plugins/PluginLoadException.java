package dev.nanolab.launcher.plugins;

import dev.nanolab.launcher.NanolabException;

/** A plugin directory, jar or module that cannot be loaded; the message names the jar or module. */
public final class PluginLoadException extends NanolabException {
    public PluginLoadException(String message) {
        super(message);
    }

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
