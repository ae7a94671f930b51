package dev.nanolab.tokenizers.huggingface.normalizer;

import dev.nanolab.tokenizers.huggingface.pipeline.Chars;

/** {@code Lowercase}: Rust's per-character lowercase ({@link Chars#lowercase}). */
record Lowercase() implements Normalizer {
    @Override
    public String normalize(String text) {
        return Chars.lowercase(text);
    }
}
