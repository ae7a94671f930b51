package dev.nanolab.launcher.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.sweep.SweepExecutor;
import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.config.ConfigBinder;
import dev.nanolab.launcher.sweep.slurm.SlurmConfig;
import dev.nanolab.launcher.sweep.slurm.SlurmExecutor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The sweep executors {@code --executor} chooses from, by name. Each is a config record and a constructor taking it,
 * as a component is, so that executors can become a component kind that plugins add to; until then this map is the
 * list.
 */
public final class SweepExecutors {
    /** An executor: its name, what it does, its options record, its constructor. */
    public record Type<C extends Record>(String name, String description, Class<C> configType, Function<C, SweepExecutor> constructor) {
        SweepExecutor create(Record config) {
            return constructor.apply(configType.cast(config));
        }
    }

    private static final Map<String, Type<?>> TYPES = new LinkedHashMap<>();

    static {
        add(new Type<>("local", "child processes of this one, as many at a time as the cores allow", NoOptions.class, LocalExecutor::new));
        add(new Type<>("slurm", "one Slurm job array per sweep, one array task per run (sweep folder on a shared filesystem)",
                SlurmConfig.class, SlurmExecutor::new));
    }

    private static void add(Type<?> t) {
        TYPES.put(t.name(), t);
    }

    private SweepExecutors() {}

    public static Set<String> names() {
        return TYPES.keySet();
    }

    public static Map<String, Type<?>> types() {
        return java.util.Collections.unmodifiableMap(TYPES);
    }

    /**
     * The executor a config value names: {@code slurm}, or a map {@code {name: slurm, partition: gpu, ...}} whose other
     * keys are its options (snake_case, as in every config); null or missing: {@code local}.
     */
    public static SweepExecutor create(ComponentRegistry registry, JsonNode node) {
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        String name = "local";
        if (node != null && !node.isNull() && !node.isMissingNode()) {
            if (node.isTextual()) name = node.asText();
            else if (node.isObject() && node.path("name").isTextual()) {
                name = node.get("name").asText();
                options = ((ObjectNode) node).deepCopy();
                options.remove("name");
            } else throw new NanolabException("executor: expected a name (" + String.join(", ", names()) + ") or a map with 'name', got " + node);
        }
        Type<?> t = TYPES.get(name);
        if (t == null) throw new NanolabException("unknown executor '" + name + "'; known: " + String.join(", ", names()));
        Record config;
        try {
            config = new ConfigBinder(registry).bind(options, t.configType());
        } catch (ConfigException e) {
            throw new NanolabException("executor " + name + ": " + e.getMessage(), e);
        }
        return t.create(config);
    }
}
