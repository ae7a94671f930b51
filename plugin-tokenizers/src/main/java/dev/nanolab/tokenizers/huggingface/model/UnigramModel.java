package dev.nanolab.tokenizers.huggingface.model;

import dev.nanolab.tokenizers.codec.TokenBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Unigram} (SentencePiece's unigram language model, as in T5): the segmentation of a piece into vocabulary
 * tokens with the highest total score (log-probability), found by Viterbi over the end positions, exactly as
 * HuggingFace's {@code encode_optimized}: positions left to right, tokens at a position shortest first, a candidate
 * replacing the best path to its end only when strictly better. A character that no one-character token covers
 * may be crossed by {@code unk_id} with the score (lowest score - 10); consecutive unknowns are fused into one, which
 * is written as byte tokens ({@code byte_fallback}) when the vocabulary has them, otherwise as {@code unk_id}.
 */
final class UnigramModel implements Model {
    /** HuggingFace's (and SentencePiece's) penalty for an unknown character, below the lowest score. */
    static final double UNK_PENALTY = 10.0;

    private final String[] pieces;
    private final double[] scores;
    private final PrefixTrie trie;
    /** Matchable piece to id: for a run of unknown characters that spells a piece, and for byte fallback. */
    private final java.util.Map<String, Integer> ids;
    private final int unk;
    private final double unkScore;
    private final ByteFallback byteFallback;

    /**
     * @param matchable    whether an id may be matched in text (special added tokens may not)
     * @param byteFallback null without byte fallback
     */
    UnigramModel(String[] pieces, double[] scores, int unk, java.util.function.IntPredicate matchable, boolean byteFallback) {
        this.pieces = pieces;
        this.scores = scores;
        this.unk = unk;
        this.trie = new PrefixTrie();
        this.ids = new java.util.HashMap<>();
        double min = Double.POSITIVE_INFINITY;
        for (int id = 0; id < pieces.length; id++) {
            min = Math.min(min, scores[id]);
            if (!matchable.test(id)) continue;
            ids.put(pieces[id], id);
            if (!pieces[id].isEmpty()) trie.put(pieces[id], id);
        }
        this.unkScore = min - UNK_PENALTY;
        this.byteFallback = byteFallback ? new ByteFallback(t -> ids.getOrDefault(t, -1)) : null;
    }

    @Override
    public void tokenize(String piece, TokenBuffer out) {
        int n = piece.length();
        double[] best = new double[n + 1];
        int[] from = new int[n + 1];
        int[] via = new int[n + 1];
        java.util.Arrays.fill(from, -1);
        for (int start = 0; start < n; ) {
            int charLength = Character.charCount(piece.codePointAt(start));
            double base = best[start];
            int s = start;
            boolean[] single = {false};
            trie.prefixes(piece, start, (id, end) -> {
                double score = base + scores[id];
                if (from[end] < 0 || score > best[end]) {
                    best[end] = score;
                    from[end] = s;
                    via[end] = id;
                }
                if (end - s == charLength) single[0] = true;
                return 0;
            });
            int end = start + charLength;
            if (!single[0] && (from[end] < 0 || base + unkScore > best[end])) {
                best[end] = base + unkScore;
                from[end] = start;
                via[end] = unk;
            }
            start = end;
        }
        List<int[]> path = new ArrayList<>();
        for (int end = n; end > 0; end = from[end]) path.add(new int[] {from[end], end, via[end]});
        for (int k = path.size() - 1; k >= 0; k--) {
            int[] step = path.get(k);
            if (step[2] != unk) {
                out.add(step[2]);
                continue;
            }
            int begin = step[0], end = step[1];
            while (k > 0 && path.get(k - 1)[2] == unk) end = path.get(--k)[1];
            String unknown = piece.substring(begin, end);
            Integer id = ids.get(unknown);
            if (id != null) out.add(id);
            else if (byteFallback == null || !byteFallback.append(unknown, out)) out.add(unk);
        }
    }

    @Override
    public String token(int id) {
        return id >= 0 && id < pieces.length ? pieces[id] : null;
    }

    @Override
    public int size() {
        return pieces.length;
    }
}
