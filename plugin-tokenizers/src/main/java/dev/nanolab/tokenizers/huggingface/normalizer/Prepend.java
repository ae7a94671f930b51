package dev.nanolab.tokenizers.huggingface.normalizer;

/** {@code Prepend}: puts {@code prepend} (Llama: "▁") before any text that is not empty. */
record Prepend(String prepend) implements Normalizer {
    @Override
    public String normalize(String text) {
        return text.isEmpty() ? text : prepend + text;
    }
}
