package dev.nanolab.tokenizers.chars;

import dev.nanolab.api.data.Document;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import java.util.stream.Stream;

/** Learns a {@link CharTokenizer}'s vocabulary from a corpus, or restores one from its state. */
public final class CharTokenizerFactory implements TokenizerFactory {
    private final CharConfig config;

    public CharTokenizerFactory(CharConfig config) {
        this.config = config;
    }

    @Override
    public boolean trainable() {
        return true;
    }

    /** @throws IllegalArgumentException if the corpus has no characters */
    @Override
    public CharTokenizer train(TextCorpus corpus) {
        CharCounts counts = new CharCounts(config.unit());
        try (Stream<Document> documents = corpus.documents()) {
            documents.forEach(d -> counts.add(d.text()));
        }
        if (counts.total() == 0)
            throw new IllegalArgumentException(CharTokenizer.NAME + ": corpus '" + corpus.name() + "' has no characters");
        int[] vocabulary = counts.vocabulary(config.coverage(), config.minFrequency());
        return new CharTokenizer(config.unit(), vocabulary, config.unknown(), config.unkToken());
    }

    @Override
    public Tokenizer load(byte[] state) {
        return CharTokenizer.fromState(state);
    }
}
