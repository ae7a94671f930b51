package dev.nanolab.tokenizers.bytes;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.tokenizers.codec.StateReader;

/** Makes the {@link ByteTokenizer}; it is fixed, so training ignores the corpus. */
public final class ByteTokenizerFactory implements TokenizerFactory {
    @Override
    public boolean trainable() {
        return false;
    }

    @Override
    public Tokenizer train(TextCorpus corpus) {
        return new ByteTokenizer();
    }

    @Override
    public Tokenizer load(byte[] state) {
        StateReader.open(state, ByteTokenizer.FORMAT, ByteTokenizer.VERSION);
        return new ByteTokenizer();
    }
}
