package dev.nanolab.api;

/** The version of framework-api, and the rule that decides which plugins may load. */
public final class NanolabApi {
    /**
     * The framework-api version. A compile-time constant on purpose: a plugin that returns it from
     * {@link dev.nanolab.api.plugin.Plugin#apiVersion()} has the version it was compiled against baked into its
     * class file, which is what the launcher compares with {@link #version()}.
     */
    public static final String VERSION = "1.0.0";

    private static final String VERSION_AT_RUNTIME = String.valueOf(VERSION);

    private NanolabApi() {}

    /** The framework-api version at run time (not inlined into callers). */
    public static String version() {
        return VERSION_AT_RUNTIME;
    }

    /** The major part of a {@code major.minor.patch} version string. */
    public static int major(String version) {
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a major.minor.patch version: '" + version + "'");
        }
    }

    /**
     * Whether a plugin built against {@code pluginApiVersion} runs on this framework-api: the same major version,
     * and a minor not newer than ours (a newer minor may call what this framework-api does not have yet).
     */
    public static boolean compatible(String pluginApiVersion) {
        String[] ours = version().split("\\.");
        String[] theirs = pluginApiVersion.split("\\.");
        if (theirs.length < 2) return false;
        try {
            int major = Integer.parseInt(theirs[0]), minor = Integer.parseInt(theirs[1]);
            int ourMajor = Integer.parseInt(ours[0]), ourMinor = Integer.parseInt(ours[1]);
            return major == ourMajor && minor <= ourMinor;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
