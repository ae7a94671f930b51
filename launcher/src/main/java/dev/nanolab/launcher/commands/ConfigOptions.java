package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.training.config.Presets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that make a run config: a preset, a file, key=value overrides, and backend shortcuts. */
public final class ConfigOptions {
    @Option(names = "--preset", paramLabel = "NAME", description = "Start from a shipped config: shakespeare-char, cpu-demo, gpt2-124m, demo, lstm-demo, wavenet-demo, mlp-demo, bigram.")
    String preset;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "A YAML config file (applied after the preset).")
    Path config;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override one key, e.g. --set model.n_layer=6 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "NAME", description = "The compute backend, e.g. cpu or tornadovm (same as --set backend=NAME).")
    String backend;

    @Option(names = "--device", paramLabel = "B:D", description = "The backend's device, e.g. 0:0 (same as --set backend.device=B:D).")
    String device;

    /** The config tree: preset, then file, then the overrides in order. */
    public ObjectNode tree() {
        ObjectNode tree = presetTree(preset);
        if (config != null) merge(tree, ConfigTree.read(config));
        List<String> all = new ArrayList<>();
        if (backend != null) all.add("backend=" + backend);
        if (device != null) all.add("backend.device=" + device);
        all.addAll(sets);
        return ConfigTree.override(tree, all);
    }

    /** A preset's tree, or an empty one for none; what every command that starts from a preset builds on. */
    public static ObjectNode presetTree(String preset) {
        return preset != null ? ConfigTree.parse(Presets.yaml(preset), "preset " + preset) : JsonNodeFactory.instance.objectNode();
    }

    /** Deep merge: maps merge key by key, anything else replaces. */
    public static void merge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(e -> {
            var existing = into.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode fo
                    && (!fo.has("name") || fo.get("name").equals(eo.get("name")))) merge(eo, fo);
            else into.set(e.getKey(), e.getValue().deepCopy());
        });
    }
}
