package dev.nanolab.launcher;

import dev.nanolab.launcher.plugins.LoadedPlugins;
import dev.nanolab.launcher.plugins.PluginLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What every command shares: where the distribution is, the global options, and the plugins, loaded on first use.
 */
public final class Session {
    private final Path home;
    private List<Path> pluginPath = List.of();
    private Optional<Set<String>> modules = Optional.empty();
    private boolean verbose;
    private LoadedPlugins plugins;

    /** @param home the distribution folder (bin/, lib/, plugins/), or null when running from a build */
    public Session(Path home) {
        this.home = home;
    }

    /** The distribution folder from {@code -Dnanolab.home}, if set. */
    public static Session fromSystemProperties() {
        String h = System.getProperty("nanolab.home");
        return new Session(h == null ? null : Path.of(h));
    }

    public Path home() {
        return home;
    }

    void pluginPath(List<String> entries) {
        List<Path> out = new ArrayList<>();
        for (String e : entries) for (String part : e.split(java.io.File.pathSeparator)) if (!part.isBlank()) out.add(Path.of(part));
        this.pluginPath = out;
    }

    void modules(List<String> names) {
        if (names == null || names.isEmpty()) {
            modules = Optional.empty();
            return;
        }
        Set<String> s = new LinkedHashSet<>();
        for (String n : names) s.addAll(Arrays.stream(n.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList());
        modules = Optional.of(s);
    }

    void verbose(boolean v) {
        this.verbose = v;
    }

    public boolean verbose() {
        return verbose;
    }

    /** Each --plugin-path entry must be a folder of jars: a missing path, a file or an unreadable folder is named. */
    static void checkPluginPath(List<Path> entries) {
        for (Path p : entries) {
            if (Files.isRegularFile(p))
                throw new NanolabException("--plugin-path " + p + " is a file, not a folder: give the folder that holds the plugin jars"
                        + (p.toString().endsWith(".jar") ? " (" + (p.getParent() == null ? "." : p.getParent()) + ")" : ""));
            if (!Files.exists(p)) throw new NanolabException("--plugin-path " + p + " does not exist");
            if (!Files.isDirectory(p)) throw new NanolabException("--plugin-path " + p + " is not a folder");
            if (!Files.isReadable(p)) throw new NanolabException("--plugin-path " + p + " cannot be read (permission denied)");
        }
    }

    /** The plugin folders: the distribution's plugins/ and every {@code --plugin-path} entry. */
    public List<Path> pluginDirs() {
        List<Path> dirs = new ArrayList<>();
        if (home != null && Files.isDirectory(home.resolve("plugins"))) dirs.add(home.resolve("plugins"));
        dirs.addAll(pluginPath);
        return dirs;
    }

    /** Loads the plugins on first call. */
    public LoadedPlugins plugins() {
        if (plugins == null) checkPluginPath(pluginPath);
        if (plugins == null)
            plugins = new PluginLoader().load(new PluginLoader.Options(pluginDirs(), home == null ? null : home.resolve("lib"), modules));
        return plugins;
    }
}
