package dev.nanolab.tokenizers.huggingface.decoder;

import java.util.List;

/**
 * {@code Strip}: from every token, up to {@code start} leading and up to {@code stop} trailing characters equal to
 * {@code content} (Llama: one leading space, the one its normalizer prepended).
 */
record StripDecoder(int content, int start, int stop) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        return tokens.stream().map(this::strip).toList();
    }

    private String strip(String token) {
        int[] chars = token.codePoints().toArray();
        int from = 0, to = chars.length;
        while (from < start && from < chars.length && chars[from] == content) from++;
        while (chars.length - to < stop && to > 0 && chars[to - 1] == content) to--;
        return from >= to ? "" : new String(chars, from, to - from);
    }
}
