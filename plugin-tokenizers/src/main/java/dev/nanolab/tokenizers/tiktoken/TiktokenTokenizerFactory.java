package dev.nanolab.tokenizers.tiktoken;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.tokenizers.codec.StateReader;

/** Makes a {@link TiktokenTokenizer} for one fixed encoding; training ignores the corpus. */
public final class TiktokenTokenizerFactory implements TokenizerFactory {
    private final TiktokenEncoding encoding;

    public TiktokenTokenizerFactory(TiktokenEncoding encoding) {
        this.encoding = encoding;
    }

    @Override
    public boolean trainable() {
        return false;
    }

    @Override
    public Tokenizer train(TextCorpus corpus) {
        return new TiktokenTokenizer(encoding);
    }

    @Override
    public Tokenizer load(byte[] state) {
        StateReader in = StateReader.open(state, TiktokenTokenizer.FORMAT, TiktokenTokenizer.VERSION);
        String name = in.text("encoding");
        if (!name.equals(encoding.tiktokenName()))
            throw in.invalid("it is of encoding '" + name + "', not '" + encoding.tiktokenName() + "'");
        TiktokenTokenizer tokenizer = new TiktokenTokenizer(encoding);
        String sha = in.text("ranks_sha256");
        if (!sha.equals(encoding.ranks().sha256()))
            throw in.invalid("it was made with other " + name + " ranks (SHA-256 " + sha + ") than jtokkit has here ("
                    + encoding.ranks().sha256() + ")");
        return tokenizer;
    }
}
