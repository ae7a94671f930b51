package dev.nanolab.tokenizers.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A tokenizer's special tokens (such as {@code <|endoftext|>}) and their ids, and the rule for encoding them: a
 * special token's text becomes its id only where the caller allows that token; everywhere else it is ordinary text.
 * This is tiktoken's {@code allowed_special} without the "disallowed raises" default.
 */
public final class SpecialTokens {
    /** Encodes a stretch of text that holds no allowed special token. */
    @FunctionalInterface
    public interface OrdinaryEncoder {
        void encode(String text, TokenBuffer out);
    }

    /** Encodes a stretch of text that holds no allowed special token, told where it starts in the whole text. */
    @FunctionalInterface
    public interface PositionedEncoder {
        void encode(String text, int offset, TokenBuffer out);
    }

    private final String tokenizer;
    private final Map<String, Integer> ids;

    /**
     * @param tokenizer the tokenizer's name, for messages
     * @param ids       special token text to id, in the order to list them
     */
    public SpecialTokens(String tokenizer, Map<String, Integer> ids) {
        this.tokenizer = tokenizer;
        this.ids = Collections.unmodifiableMap(new LinkedHashMap<>(ids));
    }

    public OptionalInt id(String text) {
        Integer id = ids.get(text);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * Encodes text, turning occurrences of the allowed special tokens into their ids and everything between them
     * through {@code ordinary}. Where allowed tokens overlap, the one that starts first wins, then the longest.
     *
     * @throws IllegalArgumentException if {@code allowed} names a string that is not one of these special tokens
     */
    public int[] encode(String text, Set<String> allowed, OrdinaryEncoder ordinary) {
        return encode(text, allowed, (PositionedEncoder) (segment, offset, out) -> ordinary.encode(segment, out));
    }

    /** {@link #encode(String, Set, OrdinaryEncoder)}, telling the encoder where each stretch starts. */
    public int[] encode(String text, Set<String> allowed, PositionedEncoder ordinary) {
        for (String s : allowed)
            if (!ids.containsKey(s))
                throw new IllegalArgumentException(tokenizer + ": '" + s + "' is not a special token"
                        + (ids.isEmpty() ? " (it has none)" : " (it has " + String.join(", ", ids.keySet()) + ")"));
        TokenBuffer out = new TokenBuffer(text.length() / 3 + 1);
        if (allowed.isEmpty()) {
            ordinary.encode(text, 0, out);
            return out.toArray();
        }
        String[] tokens = allowed.toArray(String[]::new);
        int[] next = new int[tokens.length];
        for (int k = 0; k < tokens.length; k++) next[k] = text.indexOf(tokens[k]);
        int pos = 0;
        while (true) {
            int best = -1;
            for (int k = 0; k < tokens.length; k++) {
                if (next[k] >= 0 && next[k] < pos) next[k] = text.indexOf(tokens[k], pos);
                if (next[k] < 0) continue;
                if (best < 0 || next[k] < next[best]
                        || (next[k] == next[best] && tokens[k].length() > tokens[best].length())) best = k;
            }
            if (best < 0) break;
            if (next[best] > pos) ordinary.encode(text.substring(pos, next[best]), pos, out);
            out.add(ids.get(tokens[best]));
            pos = next[best] + tokens[best].length();
        }
        if (pos < text.length()) ordinary.encode(pos == 0 ? text : text.substring(pos), pos, out);
        return out.toArray();
    }
}
