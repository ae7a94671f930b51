package dev.nanolab.tokenizers.bpe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A byte-level BPE model, however it was made (trained here or read from a HuggingFace file): the byte string of
 * each token id, the merges in priority order, the special tokens, and how text is split before merging.
 *
 * <p>Token ids are arbitrary: ids {@code 0..255} need not be the bytes {@code 0..255} (GPT-2's are not). Every
 * one of the 256 single bytes must be a token, so any text can be encoded. A merge {@code (left, right)} makes the
 * token whose bytes are {@code left}'s followed by {@code right}'s; its rank is its index in the list, lower ranks
 * are applied first. Ids that are neither a byte string nor a special token are unassigned.
 *
 * <p>Immutable. Construction checks all of the above and throws {@link IllegalArgumentException} naming the first
 * problem.
 */
public final class BpeModel {
    private final byte[][] tokens;
    private final int[] byteIds;
    private final int[] mergeLeft;
    private final int[] mergeRight;
    private final int[] mergeResult;
    private final Map<String, Integer> specialTokens;
    private final String splitPattern;
    private final boolean addPrefixSpace;
    private final boolean ignoreMerges;

    /**
     * @param tokens         the bytes of each token id; null for special tokens' ids and unassigned ids
     * @param merges         pairs {@code {left, right}} of token ids, highest priority first
     * @param specialTokens  special token text to id, in listing order
     * @param splitPattern   the pre-tokenizer: a {@link java.util.regex.Pattern} compiled with
     *                       {@code UNICODE_CHARACTER_CLASS}, or null to merge across the whole text
     * @param addPrefixSpace prepend a space to text that does not start with one (HuggingFace ByteLevel option)
     * @param ignoreMerges   a pre-token that is itself a token is encoded as that token without merging
     *                       (HuggingFace BPE option)
     */
    public BpeModel(byte[][] tokens, int[][] merges, Map<String, Integer> specialTokens, String splitPattern,
                    boolean addPrefixSpace, boolean ignoreMerges) {
        this.tokens = new byte[tokens.length][];
        Map<String, Integer> ids = new HashMap<>(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] == null) continue;
            if (tokens[id].length == 0) throw new IllegalArgumentException("token " + id + " is empty");
            this.tokens[id] = tokens[id].clone();
            Integer before = ids.putIfAbsent(key(tokens[id]), id);
            if (before != null)
                throw new IllegalArgumentException("tokens " + before + " and " + id + " are the same bytes "
                        + ByteLevelAlphabet.toText(tokens[id]));
        }
        byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(key(new byte[] {(byte) b}));
            if (id == null)
                throw new IllegalArgumentException("the single byte 0x" + Integer.toHexString(b)
                        + " is not a token; a byte-level BPE needs all 256");
            byteIds[b] = id;
        }
        int n = merges.length;
        mergeLeft = new int[n];
        mergeRight = new int[n];
        mergeResult = new int[n];
        Map<Long, Integer> seen = new HashMap<>(n * 2);
        for (int r = 0; r < n; r++) {
            int[] m = merges[r];
            if (m == null || m.length != 2) throw new IllegalArgumentException("merge " + r + " is not a pair of ids");
            for (int id : m)
                if (id < 0 || id >= tokens.length || tokens[id] == null)
                    throw new IllegalArgumentException("merge " + r + " uses id " + id + ", which is not a token");
            Integer twice = seen.putIfAbsent(((long) m[0] << 32) | m[1], r);
            if (twice != null)
                throw new IllegalArgumentException("merges " + twice + " and " + r + " are both (" + m[0] + ", " + m[1] + ")");
            byte[] joined = concat(tokens[m[0]], tokens[m[1]]);
            Integer result = ids.get(key(joined));
            if (result == null)
                throw new IllegalArgumentException("merge " + r + " (" + m[0] + ", " + m[1] + ") makes "
                        + ByteLevelAlphabet.toText(joined) + ", which is not a token");
            mergeLeft[r] = m[0];
            mergeRight[r] = m[1];
            mergeResult[r] = result;
        }
        this.specialTokens = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : specialTokens.entrySet()) {
            int id = e.getValue();
            if (e.getKey().isEmpty()) throw new IllegalArgumentException("a special token is empty");
            if (id < 0 || id >= tokens.length)
                throw new IllegalArgumentException("special token " + e.getKey() + " has id " + id
                        + ", outside the vocabulary [0, " + tokens.length + ")");
            if (tokens[id] != null)
                throw new IllegalArgumentException("special token " + e.getKey() + " has id " + id
                        + ", which is also the bytes " + ByteLevelAlphabet.toText(tokens[id]));
            if (this.specialTokens.containsValue(id))
                throw new IllegalArgumentException("two special tokens have id " + id);
            this.specialTokens.put(e.getKey(), id);
        }
        if (splitPattern != null) {
            try {
                java.util.regex.Pattern.compile(splitPattern, java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("the split pattern is not a Java regex: " + e.getDescription());
            }
        }
        this.splitPattern = splitPattern;
        this.addPrefixSpace = addPrefixSpace;
        this.ignoreMerges = ignoreMerges;
    }

    /** A key that identifies a byte string, for hash maps: one char per byte. */
    static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** Number of ids, assigned or not: every id is below it. */
    public int vocabSize() {
        return tokens.length;
    }

    /** The bytes of a token id (a copy), or null for a special token or an unassigned id. */
    public byte[] token(int id) {
        return tokens[id] == null ? null : tokens[id].clone();
    }

    byte[] tokenUnsafe(int id) {
        return tokens[id];
    }

    /** The id of the single-byte token for {@code b} (0..255). */
    public int byteId(int b) {
        return byteIds[b];
    }

    public int mergeCount() {
        return mergeLeft.length;
    }

    /** The merge of rank {@code r}: {@code {left, right, result}}. */
    public int[] merge(int r) {
        return new int[] {mergeLeft[r], mergeRight[r], mergeResult[r]};
    }

    int[] mergeLefts() {
        return mergeLeft;
    }

    int[] mergeRights() {
        return mergeRight;
    }

    int[] mergeResults() {
        return mergeResult;
    }

    int[] byteIds() {
        return byteIds;
    }

    /** Special token text to id, in listing order. */
    public Map<String, Integer> specialTokens() {
        return java.util.Collections.unmodifiableMap(specialTokens);
    }

    /** The pre-tokenizer's regex, or null when text is not split before merging. */
    public String splitPattern() {
        return splitPattern;
    }

    public boolean addPrefixSpace() {
        return addPrefixSpace;
    }

    public boolean ignoreMerges() {
        return ignoreMerges;
    }
}
