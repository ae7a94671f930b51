package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.launcher.config.ConfigBinder;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.checkpoint.CheckpointModel;
import dev.nanolab.training.config.RunConfig;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.training.hf.HfInit;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.nio.file.Path;
import java.util.List;

/** A bound run config together with its YAML, which checkpoints store. */
public record RunConfigs(RunConfig config, String yaml) {
    public static RunConfigs bind(ComponentRegistry registry, ObjectNode tree) {
        try {
            HfInit.configure(tree); // init_from: FOLDER fixes the model and tokenizer
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
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
        if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("config.json"))) return openHfFolder(registry, file, overrides);
        Checkpoint ck = Checkpoint.read(file);
        return CheckpointModel.open(file, ck, fromYaml(registry, ck.state().configYaml(), overrides).config(), registry);
    }

    /**
     * A Hugging Face GPT-2 folder opened as a checkpoint at step 0: the config {@code init_from: FOLDER} makes, with
     * overrides on top, its weights and its tokenizer.
     */
    static CheckpointModel openHfFolder(ComponentRegistry registry, Path folder, List<String> overrides) throws IOException {
        ObjectNode tree = JsonNodeFactory.instance.objectNode().put("init_from", folder.toString());
        RunConfigs rc = bind(registry, ConfigTree.override(tree, overrides));
        HfInit hf = HfInit.open(folder);
        byte[] tokenizer = hf.tokenizerJson();
        Tokenizer tok = rc.config().tokenizer().create(registry).load(tokenizer);
        int block = ConfigBinder.toTree(rc.config()).path("model").path("block_size").asInt(hf.config().nPositions());
        Checkpoint ck = new Checkpoint(hf.weights(block), Map.of(), new Checkpoint.State(0, rc.yaml(), "gpt", tok.vocabSize(),
                rc.config().tokenizer().name(), tok.fingerprint(), tokenizer, 0, 0, Double.NaN));
        return CheckpointModel.open(folder, ck, rc.config(), registry);
    }

    static JsonNode tree(RunConfig c) {
        return ConfigBinder.toTree(c);
    }
}
