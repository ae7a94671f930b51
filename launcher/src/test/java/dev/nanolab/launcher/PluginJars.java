package dev.nanolab.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds plugin jars for tests: compiles Java sources (a module-info and classes) against the framework-api on the
 * test's module path and packs them, so each bad-plugin case is a real jar the loader meets.
 */
final class PluginJars {
    private PluginJars() {}

    /** Compiles {@code sources} (path → text) and writes {@code dir/name.jar}; returns the jar. */
    static Path build(Path dir, String name, Map<String, String> sources, Manifest manifest) throws IOException {
        Path src = Files.createTempDirectory("plugin-src"), classes = Files.createTempDirectory("plugin-classes");
        List<String> files = new ArrayList<>();
        for (var e : sources.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            files.add(f.toString());
        }
        // javac as a process: the test module need not read java.compiler.
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-d", classes.toString(), "--release", "25", "-proc:none", "-nowarn"));
        boolean modular = sources.containsKey("module-info.java");
        args.add(modular ? "--module-path" : "--class-path");
        args.add(modulePath());
        args.addAll(files);
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) throw new IllegalStateException("test plugin " + name + " did not compile:\n" + log);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        Path jar = dir.resolve(name + ".jar");
        Manifest mf = manifest != null ? manifest : new Manifest();
        mf.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os, mf);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jos.write(Files.readAllBytes(f));
                jos.closeEntry();
            }
            // Service files for plugins compiled without module-info.
            for (var e : sources.entrySet())
                if (e.getKey().startsWith("META-INF/")) {
                    jos.putNextEntry(new JarEntry(e.getKey()));
                    jos.write(e.getValue().getBytes());
                    jos.closeEntry();
                }
        }
        return jar;
    }

    static String modulePath() {
        String mp = System.getProperty("jdk.module.path");
        if (mp == null || mp.isBlank()) throw new IllegalStateException("tests must run on the module path");
        return mp;
    }

    /**
     * Sources of a plugin module {@code module} in package {@code pkg} that registers one attention variant named
     * {@code component}, built for framework-api {@code apiVersion}; {@code members}, when given, replace the
     * plugin's provider method (e.g. a {@code configure()} that fails).
     */
    static Map<String, String> attentionPlugin(String module, String pkg, String component, String apiVersion, String members) {
        String path = pkg.replace('.', '/');
        String body = members != null ? members : "@ProvidesIntoSet public ComponentSpec<?, AttentionVariant> variant() { return ComponentSpec.of("
                + "ComponentKind.ATTENTION, \"" + component + "\", \"test variant\", NoOptions.class, c -> AttentionVariant.ofNormalizer(F::softmax)); }";
        return Map.of(
                "module-info.java", "module " + module + " { requires dev.nanolab.api; exports " + pkg + "; provides dev.nanolab.api.plugin.Plugin with " + pkg + ".P; }",
                path + "/P.java", """
                        package %s;
                        import com.google.inject.AbstractModule;
                        import com.google.inject.multibindings.ProvidesIntoSet;
                        import dev.nanolab.api.attention.AttentionVariant;
                        import dev.nanolab.api.config.NoOptions;
                        import dev.nanolab.api.nn.F;
                        import dev.nanolab.api.plugin.*;
                        public final class P extends AbstractModule implements Plugin {
                            public String version() { return "1.2.3"; }
                            public String apiVersion() { return "%s"; }
                            %s
                        }
                        """.formatted(pkg, apiVersion, body));
    }
}
