package dev.nanolab.tokenizers.bpe;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.TokenizerFactory;

/** Trains a {@link BpeTokenizer} ({@link BpeTrainer}) or restores one from its {@link BpeFile} state. */
public final class BpeTokenizerFactory implements TokenizerFactory {
    public static final String NAME = "bpe";

    private final BpeConfig config;

    public BpeTokenizerFactory(BpeConfig config) {
        this.config = config;
    }

    @Override
    public boolean trainable() {
        return true;
    }

    @Override
    public BpeTokenizer train(TextCorpus corpus) {
        return new BpeTokenizer(NAME, new BpeTrainer(config).train(corpus));
    }

    @Override
    public BpeTokenizer load(byte[] state) {
        return new BpeTokenizer(NAME, BpeFile.read(state));
    }
}
