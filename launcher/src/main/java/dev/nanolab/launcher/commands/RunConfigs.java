package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.launcher.config.ConfigBinder;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.checkpoint.CheckpointModel;
import dev.nanolab.training.config.RunConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A bound run config together with its YAML, which checkpoints store. */
public record RunConfigs(RunConfig config, String yaml) {
    public static RunConfigs bind(ComponentRegistry registry, ObjectNode tree) {
        RunConfig c = new ConfigBinder(registry).bind(tree, RunConfig.class);
        return new RunConfigs(c, ConfigTree.toYaml(ConfigBinder.toTree(c)));
    }

    /** A checkpoint's stored config with overrides on top (another backend, a new out_dir). */
    static RunConfigs fromYaml(ComponentRegistry registry, String yaml, List<String> overrides) {
        ObjectNode tree = ConfigTree.parse(yaml, "the checkpoint's config");
        return bind(registry, ConfigTree.override(tree, overrides));
    }

    /** The model of a checkpoint file, built from the config stored in it with overrides on top (sample, eval, report). */
    public static CheckpointModel openCheckpoint(ComponentRegistry registry, Path file, List<String> overrides) throws IOException {
        Checkpoint ck = Checkpoint.read(file);
        return CheckpointModel.open(file, ck, fromYaml(registry, ck.state().configYaml(), overrides).config(), registry);
    }

    static JsonNode tree(RunConfig c) {
        return ConfigBinder.toTree(c);
    }
}
