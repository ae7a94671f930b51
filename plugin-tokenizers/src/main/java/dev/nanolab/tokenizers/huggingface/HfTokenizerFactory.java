package dev.nanolab.tokenizers.huggingface;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.tokenizers.bpe.BpeFile;
import dev.nanolab.tokenizers.bpe.BpeTokenizer;
import dev.nanolab.tokenizers.codec.StateReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the {@code hf} tokenizer from the {@code tokenizer.json} at {@link HfConfig#path()}. It is fixed, so
 * training ignores the corpus. Its state is the model converted to the {@code nanolab-bpe} format
 * ({@link BpeFile}); {@link #load} reads that, or a {@code tokenizer.json} itself.
 */
public final class HfTokenizerFactory implements TokenizerFactory {
    public static final String NAME = "hf";

    private final HfConfig config;

    public HfTokenizerFactory(HfConfig config) {
        this.config = config;
    }

    @Override
    public boolean trainable() {
        return false;
    }

    /** @throws IllegalArgumentException if the path is unset, unreadable, or not a byte-level BPE tokenizer.json */
    @Override
    public BpeTokenizer train(TextCorpus corpus) {
        if (config.path().isBlank())
            throw new IllegalArgumentException(NAME + ": set path to a HuggingFace tokenizer.json");
        Path path = Path.of(config.path());
        byte[] json;
        try {
            json = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(NAME + ": cannot read " + path + ": "
                    + StateReader.oneLine(e.getClass().getSimpleName() + " " + e.getMessage()));
        }
        return new BpeTokenizer(NAME, HfTokenizerJson.read(json, path.toString()));
    }

    @Override
    public BpeTokenizer load(byte[] state) {
        boolean ours = StateReader.parse(state, NAME + " state").path("format").asText("").equals(BpeFile.FORMAT);
        return new BpeTokenizer(NAME, ours ? BpeFile.read(state) : HfTokenizerJson.read(state, "tokenizer.json"));
    }
}
