package dev.nanolab.training.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nanolab.tokenizers.bpe.BpeFile;
import dev.nanolab.tokenizers.bpe.BpeModel;
import dev.nanolab.tokenizers.bpe.BpeTokenizer;

/**
 * The nanolab-bpe file reader ({@link BpeFile#read}, the {@code bpe} tokenizer's state) on arbitrary bytes: a model
 * that encodes and decodes text and writes back to a file that reads again, or the documented
 * {@link IllegalArgumentException} with a one-line message.
 */
class BpeFileFuzzTest {
    @FuzzTest
    void read(byte[] state) {
        BpeModel m;
        try {
            m = BpeFile.read(state);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().contains("\n")) throw new AssertionError("not one line: " + e.getMessage());
            return;
        }
        BpeTokenizer t = new BpeTokenizer("bpe", m);
        t.decode(t.encode("public int get1() { return value2; }\n  héllo"));
        BpeFile.read(BpeFile.write(m));
    }
}
