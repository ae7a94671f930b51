package dev.nanolab.training.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.huggingface.HfConfig;
import dev.nanolab.tokenizers.huggingface.HfTokenizerFactory;

/**
 * The HuggingFace tokenizer.json loader (the {@code hf} tokenizer's {@code load}) on arbitrary bytes: a tokenizer
 * that then encodes and decodes text, or the documented {@link IllegalArgumentException} with a one-line message.
 */
class TokenizerJsonFuzzTest {
    @FuzzTest
    void load(byte[] json) {
        Tokenizer t;
        try {
            t = new HfTokenizerFactory(new HfConfig("")).load(json);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().contains("\n")) throw new AssertionError("not one line: " + e.getMessage());
            return;
        }
        int[] ids = t.encode("public static void main(String[] args) { return 1; } héllo \uD83D\uDE00");
        t.decode(ids);
        t.fingerprint();
    }
}
