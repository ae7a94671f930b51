package dev.nanolab.tokenizers.huggingface.normalizer;

/** A HuggingFace normalizer: rewrites a stretch of text (between special tokens) before it is split. */
@FunctionalInterface
public interface Normalizer {
    String normalize(String text);
}
