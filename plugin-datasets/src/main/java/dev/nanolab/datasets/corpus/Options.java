package dev.nanolab.datasets.corpus;

import dev.nanolab.api.config.ConfigException;
import java.util.List;

/** Checks shared by the recipes' config records, so a bad value is refused when the config is read. */
public final class Options {
    private Options() {}

    /** @throws ConfigException at key {@code include} naming a pattern that is not a valid glob */
    public static void checkIncludes(List<String> include) {
        for (String p : include) {
            try {
                Glob.of(p);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("include", e.getMessage());
            }
        }
    }

    /** @throws ConfigException at key {@code max_bytes} when it is negative */
    public static void checkMaxBytes(long maxBytes) {
        if (maxBytes < 0) throw new ConfigException("max_bytes", maxBytes + " is negative; use 0 for no limit");
    }

    private static final java.util.regex.Pattern EXACT_VERSION =
            java.util.regex.Pattern.compile("\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.+-]+)?");

    /** @throws ConfigException at key {@code version} when it is not an exact version such as 1.9.80 */
    public static void checkVersion(String version) {
        if (version == null || !EXACT_VERSION.matcher(version).matches())
            throw new ConfigException("version", "'" + version + "' is not an exact version such as 1.2.3;"
                    + " the cache is kept per version, so a range or tag like latest is not allowed");
    }

    /** @throws ConfigException at key {@code npm_command} when it is empty */
    public static void checkCommand(String command) {
        if (command == null || command.isBlank()) throw new ConfigException("npm_command", "must name the npm client, e.g. npm");
    }

    /** The largest file read as one document: a Java array's limit. */
    public static final long MAX_DOCUMENT_BYTES = Integer.MAX_VALUE - 8;

    /** A path option as a path, with a leading {@code ~/} meaning the user's home folder. */
    public static java.nio.file.Path path(String option) {
        if (option.equals("~") || option.startsWith("~/") || option.startsWith("~" + java.io.File.separator))
            return java.nio.file.Path.of(System.getProperty("user.home") + option.substring(1));
        return java.nio.file.Path.of(option);
    }

    /** True when a '/'-separated relative path has a file or folder whose name starts with '.', or is __MACOSX. */
    public static boolean hidden(String relativePath) {
        for (String segment : relativePath.split("/"))
            if (segment.startsWith(".") || segment.equals("__MACOSX")) return true;
        return false;
    }
}
