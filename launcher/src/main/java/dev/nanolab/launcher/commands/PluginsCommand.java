package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.backend.BackendFactory;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.launcher.Session;
import dev.nanolab.launcher.config.ConfigBinder;
import dev.nanolab.launcher.plugins.LoadedPlugins;
import dev.nanolab.launcher.plugins.PluginInfo;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nanolab plugins}: the loaded modules and their components, by kind. */
@Command(name = "plugins", description = "List loaded plugin modules and their components by kind.")
public final class PluginsCommand implements Callable<Integer> {
    private final Session session;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the same as JSON.")
    boolean json;

    PluginsCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        LoadedPlugins loaded = session.plugins();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(loaded)));
            return 0;
        }
        out.println("nanolab " + NanolabApi.version() + " — plugin folders: "
                + (session.pluginDirs().isEmpty() ? "(none)" : session.pluginDirs()));
        out.println();
        out.println("Modules");
        for (PluginInfo p : loaded.plugins())
            out.printf("  %-32s %-10s built for api %-8s %s%n", p.module(), p.version(), p.apiVersion(),
                    p.location() == null ? "(boot layer)" : p.location());
        for (ComponentKind<?> kind : loaded.registry().kinds()) {
            List<? extends ComponentSpec<?, ?>> specs = loaded.registry().specs(kind);
            out.println();
            out.println(Character.toUpperCase(kind.title().charAt(0)) + kind.title().substring(1) + " (" + kind.id() + ")");
            if (specs.isEmpty()) out.println("  (none)");
            for (ComponentSpec<?, ?> s : specs) {
                out.printf("  %-22s %s  [%s]%n", s.name(), s.description(), s.origin().getName());
                if (kind == ComponentKind.BACKEND) {
                    for (String d : devices(s)) out.println("      device: " + d);
                }
            }
        }
        return 0;
    }

    private static List<String> devices(ComponentSpec<?, ?> s) {
        try {
            Record defaults = s.defaults();
            return defaults == null ? List.of() : ((BackendFactory) s.create(defaults)).devices();
        } catch (RuntimeException | LinkageError e) {
            return List.of("unavailable: " + e.getMessage());
        }
    }

    private static ObjectNode toJson(LoadedPlugins loaded) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("api_version", NanolabApi.version());
        ArrayNode plugins = root.putArray("plugins");
        for (PluginInfo p : loaded.plugins()) {
            ObjectNode n = plugins.addObject();
            n.put("name", p.name());
            n.put("module", p.module());
            n.put("version", p.version());
            n.put("api_version", p.apiVersion());
            n.put("location", p.location() == null ? null : p.location().toString());
        }
        ObjectNode components = root.putObject("components");
        for (ComponentKind<?> kind : loaded.registry().kinds()) {
            ArrayNode arr = components.putArray(kind.id());
            for (ComponentSpec<?, ?> s : loaded.registry().specs(kind)) {
                ObjectNode n = arr.addObject();
                n.put("name", s.name());
                n.put("description", s.description());
                n.put("module", s.origin().getName());
                Record d = s.defaults();
                ObjectNode cfg = n.putObject("config");
                for (RecordComponent rc : s.configType().getRecordComponents()) {
                    ObjectNode k = cfg.putObject(ConfigBinder.key(rc.getName()));
                    k.put("type", rc.getType().getSimpleName());
                    Doc doc = rc.getAnnotation(Doc.class);
                    if (doc != null) k.put("doc", doc.value());
                    if (d != null) {
                        try {
                            k.set("default", ConfigBinder.toTree(rc.getAccessor().invoke(d)));
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                if (kind == ComponentKind.BACKEND) {
                    ArrayNode dev = n.putArray("devices");
                    for (String x : devices(s)) dev.add(x);
                }
            }
        }
        return root;
    }
}
