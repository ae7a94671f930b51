package dev.nanolab.tokenizers.huggingface.normalizer;

/** {@code NFC}, {@code NFD}, {@code NFKC}, {@code NFKD}: Unicode normalization through {@link java.text.Normalizer}. */
record UnicodeForm(java.text.Normalizer.Form form) implements Normalizer {
    @Override
    public String normalize(String text) {
        return java.text.Normalizer.normalize(text, form);
    }
}
