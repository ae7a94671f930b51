package dev.nanolab.training.checkpoint;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.training.config.RunConfig;
import java.nio.file.Path;

/**
 * A model rebuilt from a checkpoint for sampling and evaluation: the architecture from the checkpoint's config, the
 * tokenizer from its saved state, the weights loaded by name and shape; {@code config} is the one it was built with.
 */
public record CheckpointModel(Backend backend, Tokenizer tokenizer, LanguageModel model, Checkpoint checkpoint, RunConfig config)
        implements AutoCloseable {

    /**
     * @param config the checkpoint's config, bound by the caller (possibly with overrides such as another backend)
     * @throws IllegalArgumentException naming the checkpoint when its tokenizer or weights do not fit the config
     */
    public static CheckpointModel open(Path file, Checkpoint ck, RunConfig config, ComponentRegistry registry) {
        var factory = config.tokenizer().create(registry);
        Tokenizer tok;
        try {
            tok = factory.load(ck.state().tokenizerState());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": its tokenizer state does not load as " + config.tokenizer().name() + ": " + e.getMessage(), e);
        }
        if (!tok.fingerprint().equals(ck.state().fingerprint()))
            throw new IllegalArgumentException(file + ": its tokenizer state does not match its recorded fingerprint (corrupt checkpoint?)");
        if (!config.model().name().equals(ck.state().architecture()))
            throw new IllegalArgumentException(file + " holds a " + ck.state().architecture() + " model, but the config names " + config.model().name());
        Backend be = config.backend().create(registry).open();
        try {
            LanguageModel model = config.model().create(registry).build(config.modelContext(be, tok.vocabSize(), registry, tok));
            Checkpoint.load(ck.model(), Checkpoint.modelTensors(model), "checkpoint " + file);
            model.eval();
            return new CheckpointModel(be, tok, model, ck, config);
        } catch (RuntimeException e) {
            be.close();
            throw e;
        }
    }

    @Override
    public void close() {
        backend.close();
    }
}
