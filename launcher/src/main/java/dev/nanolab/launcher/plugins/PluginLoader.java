package dev.nanolab.launcher.plugins;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.spi.Element;
import com.google.inject.spi.ElementSource;
import com.google.inject.spi.Elements;
import com.google.inject.spi.Message;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentsModule;
import dev.nanolab.api.plugin.Plugin;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads plugins: builds a module layer from the plugin directories on top of the boot layer, finds the
 * {@link Plugin} services in it (and in the boot layer), checks each plugin's framework-api version, and puts all
 * their Guice modules into one injector whose components make the {@link ComponentRegistry}.
 *
 * <p>Every failure is a {@link PluginLoadException} whose message is one line naming the jar or module: a jar that
 * is not a module, a split package, a module named in {@code --modules} but not found, an incompatible plugin, a
 * plugin whose Guice module fails, a duplicate component name.
 */
public final class PluginLoader {
    /**
     * @param pluginDirs folders whose jars are plugins (and the libraries they need)
     * @param libraryDir a folder of libraries that plugins may require (the distribution's lib/), or null
     * @param modules    the plugin modules to resolve, or empty for every module found in the plugin folders
     */
    public record Options(List<Path> pluginDirs, Path libraryDir, Optional<Set<String>> modules) {}

    private record Jar(Path path, ModuleReference ref) {}

    public LoadedPlugins load(Options options) {
        Map<String, Jar> found = scan(options.pluginDirs());
        checkSplitPackages(found);
        Set<String> roots = roots(found, options);
        ModuleLayer boot = ModuleLayer.boot();
        ModuleFinder pluginFinder = ModuleFinder.of(found.values().stream().map(Jar::path).toArray(Path[]::new));
        ModuleFinder libFinder = options.libraryDir() != null && Files.isDirectory(options.libraryDir())
                ? ModuleFinder.of(options.libraryDir()) : ModuleFinder.of();
        ModuleLayer layer;
        try {
            Configuration cf = boot.configuration().resolve(pluginFinder, libFinder, roots);
            layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
        } catch (ResolutionException | FindException e) {
            throw new PluginLoadException("cannot resolve plugin modules " + roots + ": " + firstLine(e.getMessage()), e);
        } catch (LayerInstantiationException e) {
            throw new PluginLoadException("cannot define the plugin layer: " + firstLine(e.getMessage()), e);
        }

        List<Plugin> plugins = new ArrayList<>();
        List<PluginInfo> infos = new ArrayList<>();
        ServiceLoader<Plugin> loader = ServiceLoader.load(layer, Plugin.class);
        for (ServiceLoader.Provider<Plugin> provider : loader.stream().toList()) {
            Module m = provider.type().getModule();
            // A boot-layer plugin left out of --modules stays out, like one in a plugin folder.
            if (options.modules().isPresent() && m.isNamed() && !options.modules().get().contains(m.getName())
                    && m.getLayer() != layer) continue;
            Path location = m.isNamed() && found.containsKey(m.getName()) ? found.get(m.getName()).path() : null;
            String where = describe(m, location);
            Plugin p;
            try {
                p = provider.get();
            } catch (ServiceConfigurationError | RuntimeException e) {
                throw new PluginLoadException("plugin " + where + " could not be instantiated: " + firstLine(rootCause(e).toString()), e);
            }
            String apiVersion = p.apiVersion();
            if (!NanolabApi.compatible(apiVersion))
                throw new PluginLoadException("plugin " + where + " was built for framework-api " + apiVersion
                        + ", which is incompatible with this framework-api " + NanolabApi.version()
                        + " (major versions must match); rebuild it against " + NanolabApi.version());
            plugins.add(p);
            infos.add(new PluginInfo(p.name(), m.isNamed() ? m.getName() : p.getClass().getName(), p.version(), apiVersion, location));
        }
        infos.sort(java.util.Comparator.comparing(PluginInfo::module));

        List<com.google.inject.Module> modules = new ArrayList<>();
        for (Plugin p : plugins) modules.add(checkedModule(p, found));
        modules.add(new ComponentsModule());
        Injector injector = createInjector(modules, plugins, found);
        return new LoadedPlugins(List.copyOf(infos), layer, injector, injector.getInstance(ComponentRegistry.class));
    }

    /** Records a plugin's Guice module and rejects it, naming the plugin, if configuring it fails. */
    private static com.google.inject.Module checkedModule(Plugin p, Map<String, Jar> found) {
        String where = describe(p.getClass().getModule(), locationOf(p, found));
        List<Element> elements;
        try {
            elements = Elements.getElements(Stage.PRODUCTION, p);
        } catch (RuntimeException | LinkageError e) {
            throw new PluginLoadException("plugin " + where + ": its Guice module failed: " + firstLine(e.toString()), e);
        }
        for (Element e : elements)
            if (e instanceof Message msg) {
                Throwable cause = msg.getCause();
                String text = cause != null ? rootCause(cause).toString() : msg.getMessage();
                throw new PluginLoadException("plugin " + where + ": its Guice module failed: " + firstLine(text), cause);
            }
        return Elements.getModule(elements);
    }

    private static Injector createInjector(List<com.google.inject.Module> modules, List<Plugin> plugins, Map<String, Jar> found) {
        try {
            return Guice.createInjector(Stage.PRODUCTION, modules);
        } catch (CreationException e) {
            Message first = e.getErrorMessages().iterator().next();
            // The registry's own checks (a name twice within a kind, clashing kinds) already name both modules.
            if (first.getCause() != null && rootCause(first.getCause()) instanceof IllegalArgumentException registryError
                    && isRegistryProvision(first))
                throw new PluginLoadException(registryError.getMessage(), e);
            String culprit = "a plugin";
            for (Object src : first.getSources()) {
                Plugin p = culprit(src, plugins);
                if (p != null) {
                    culprit = "plugin " + describe(p.getClass().getModule(), locationOf(p, found));
                    break;
                }
            }
            throw new PluginLoadException(culprit + ": its Guice bindings failed: " + firstLine(first.getMessage()), e);
        }
    }

    private static boolean isRegistryProvision(Message m) {
        for (Object src : m.getSources()) {
            Object declaring = src instanceof ElementSource es ? es.getDeclaringSource() : src;
            if (declaring instanceof java.lang.reflect.Method method && method.getDeclaringClass() == ComponentsModule.class) return true;
        }
        return false;
    }

    /** The plugin whose Guice module declared a binding, from the binding's source. */
    private static Plugin culprit(Object src, List<Plugin> plugins) {
        List<String> names = new ArrayList<>();
        if (src instanceof ElementSource es) {
            names.addAll(es.getModuleClassNames());
            Object declaring = es.getDeclaringSource();
            if (declaring != null) return culprit(declaring, plugins) != null ? culprit(declaring, plugins) : byClassName(names, plugins);
        }
        if (src instanceof Class<?> c) names.add(c.getName());
        if (src instanceof java.lang.reflect.Member m) names.add(m.getDeclaringClass().getName());
        if (src instanceof StackTraceElement ste) names.add(ste.getClassName());
        return byClassName(names, plugins);
    }

    private static Plugin byClassName(List<String> classNames, List<Plugin> plugins) {
        for (String n : classNames)
            for (Plugin p : plugins)
                if (n.startsWith(p.getClass().getPackageName() + ".")) return p;
        return null;
    }

    private static Path locationOf(Plugin p, Map<String, Jar> found) {
        Module m = p.getClass().getModule();
        return m.isNamed() && found.containsKey(m.getName()) ? found.get(m.getName()).path() : null;
    }

    private static String describe(Module m, Path location) {
        String name = m.isNamed() ? m.getName() : "(unnamed module)";
        return location == null ? "module " + name : "module " + name + " (" + location + ")";
    }

    /** Finds every jar in the plugin folders and the module each one is; rejects jars that are not modules. */
    private static Map<String, Jar> scan(List<Path> dirs) {
        Map<String, Jar> found = new LinkedHashMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) throw new PluginLoadException("plugin folder " + dir + " does not exist");
            List<Path> jars;
            try (Stream<Path> s = Files.list(dir)) {
                jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            } catch (IOException e) {
                throw new PluginLoadException("cannot list plugin folder " + dir + ": " + e.getMessage(), e);
            }
            for (Path jar : jars) {
                ModuleReference ref;
                try {
                    Set<ModuleReference> refs = ModuleFinder.of(jar).findAll();
                    if (refs.size() != 1) throw new PluginLoadException("plugin jar " + jar + " is not a module");
                    ref = refs.iterator().next();
                } catch (FindException e) {
                    throw new PluginLoadException("plugin jar " + jar + " is not a valid module: " + firstLine(rootCause(e).getMessage()), e);
                }
                ModuleDescriptor d = ref.descriptor();
                if (d.isAutomatic() && !hasAutomaticModuleName(jar))
                    throw new PluginLoadException("plugin jar " + jar + " is not a module: it has no module-info.class"
                            + " (and no Automatic-Module-Name); plugins must be named JPMS modules");
                Jar previous = found.put(d.name(), new Jar(jar, ref));
                if (previous != null)
                    throw new PluginLoadException("module " + d.name() + " is in two jars: " + previous.path() + " and " + jar);
            }
        }
        return found;
    }

    private static boolean hasAutomaticModuleName(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            return jf.getManifest() != null && jf.getManifest().getMainAttributes().getValue("Automatic-Module-Name") != null;
        } catch (IOException e) {
            throw new PluginLoadException("cannot read plugin jar " + jar + ": " + e.getMessage(), e);
        }
    }

    /** A package in two modules would be a split package: name both, with their jars. */
    private static void checkSplitPackages(Map<String, Jar> found) {
        Map<String, String> owner = new HashMap<>();
        for (Module m : ModuleLayer.boot().modules())
            for (String p : m.getPackages()) owner.put(p, "module " + m.getName() + " (boot layer)");
        for (Jar j : found.values()) {
            String me = "module " + j.ref().descriptor().name() + " (" + j.path() + ")";
            for (String p : j.ref().descriptor().packages()) {
                String other = owner.putIfAbsent(p, me);
                if (other != null)
                    throw new PluginLoadException("split package " + p + ": it is in " + other + " and in " + me
                            + "; a package must live in one module");
            }
        }
    }

    private static Set<String> roots(Map<String, Jar> found, Options options) {
        if (options.modules().isEmpty()) {
            Set<String> all = new LinkedHashSet<>();
            for (var e : found.entrySet()) if (!e.getValue().ref().descriptor().isAutomatic()) all.add(e.getKey());
            return all;
        }
        Set<String> roots = new LinkedHashSet<>();
        for (String name : options.modules().get()) {
            if (found.containsKey(name)) roots.add(name);
            else if (ModuleLayer.boot().findModule(name).isEmpty())
                throw new PluginLoadException("module '" + name + "' named in --modules was not found in "
                        + options.pluginDirs() + " (found: " + String.join(", ", new TreeSet<>(found.keySet())) + ")");
        }
        return roots;
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
