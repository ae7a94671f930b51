package dev.nanolab.tokenizers.huggingface;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.tokenizers.bpe.BpeFile;
import dev.nanolab.tokenizers.bpe.BpeTokenizer;
import dev.nanolab.tokenizers.codec.StateReader;
import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import dev.nanolab.tokenizers.huggingface.pipeline.PipelineReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the {@code hf} tokenizer from the {@code tokenizer.json} at {@link HfConfig#path()}. It is fixed, so
 * training ignores the corpus. A byte-level BPE file becomes a {@link BpeTokenizer} whose state is the model
 * converted to the {@code nanolab-bpe} format ({@link BpeFile}); any other file (WordPiece, BPE over characters
 * with byte fallback, Unigram) becomes a {@link dev.nanolab.tokenizers.huggingface.pipeline.PipelineTokenizer} whose
 * state ({@code nanolab-hf}) is the file cut to what it uses. {@link #load} reads either state, or a
 * {@code tokenizer.json} itself.
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

    /** @throws IllegalArgumentException if the path is unset or unreadable, or the file holds something unsupported */
    @Override
    public Tokenizer train(TextCorpus corpus) {
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
        return read(StateReader.parse(json, path.toString()), path.toString());
    }

    @Override
    public Tokenizer load(byte[] state) {
        JsonNode root = StateReader.parse(state, NAME + " state");
        String format = root.path("format").asText("");
        if (format.equals(BpeFile.FORMAT)) return new BpeTokenizer(NAME, BpeFile.read(state));
        return read(root, format.equals(PipelineReader.FORMAT) ? NAME + " state" : "tokenizer.json");
    }

    private static Tokenizer read(JsonNode root, String source) {
        if (!root.isObject()) throw new IllegalArgumentException(source + ": expected a JSON object, got " + StateReader.kind(root));
        if (HfTokenizerJson.isByteLevel(root)) return new BpeTokenizer(NAME, HfTokenizerJson.read(root, source));
        return PipelineReader.read(NAME, HfNode.root(source, root));
    }
}
