package dev.nanolab.api.config;

/**
 * A config value that cannot be used. The message is one line that names the key (dotted path from the top of
 * the config, e.g. {@code model.n_layer}) and what was wrong with its value.
 */
public class ConfigException extends IllegalArgumentException {
    private final String key;

    public ConfigException(String key, String message) {
        super(key == null || key.isEmpty() ? message : key + ": " + message);
        this.key = key;
    }

    /** The dotted key the problem is at, or "" for the whole config. */
    public String key() {
        return key == null ? "" : key;
    }
}
