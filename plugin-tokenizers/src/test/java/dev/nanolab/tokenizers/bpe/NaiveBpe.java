package dev.nanolab.tokenizers.bpe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Textbook BPE, slow and obviously right, to check the fast trainer and encoder against: training recounts every
 * pair after every merge; encoding rescans a piece for its lowest-ranked pair after every merge.
 */
final class NaiveBpe {
    private NaiveBpe() {}

    /** Merges as {left, right} ids, the new token of merge k having id 256 + k. */
    static List<int[]> train(Map<String, Long> pieceCounts, int wanted, int minFrequency, int maxPieceLength) {
        List<List<Integer>> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        pieceCounts.forEach((piece, n) -> {
            List<Integer> symbols = new ArrayList<>();
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) symbols.add(b & 0xFF);
            words.add(symbols);
            counts.add(n);
        });
        List<Integer> length = new ArrayList<>();
        for (int b = 0; b < 256; b++) length.add(1);
        List<int[]> merges = new ArrayList<>();
        while (merges.size() < wanted) {
            Map<Long, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<Integer> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (maxPieceLength > 0 && length.get(s.get(i)) + length.get(s.get(i + 1)) > maxPieceLength) continue;
                    pairs.merge(((long) s.get(i) << 32) | s.get(i + 1), counts.get(w), Long::sum);
                }
            }
            long best = -1, bestCount = 0;
            for (Map.Entry<Long, Long> e : pairs.entrySet())
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            if (best < 0 || bestCount < minFrequency) break;
            int left = (int) (best >>> 32), right = (int) best, token = 256 + merges.size();
            merges.add(new int[] {left, right});
            length.add(length.get(left) + length.get(right));
            for (List<Integer> s : words)
                for (int i = 0; i + 1 < s.size(); i++)
                    if (s.get(i) == left && s.get(i + 1) == right) {
                        s.set(i, token);
                        s.remove(i + 1);
                    }
        }
        return merges;
    }

    /** The rank of each merge, by its pair packed as {@code left << 32 | right}. */
    static Map<Long, Integer> ranks(BpeModel model) {
        Map<Long, Integer> rank = new HashMap<>();
        for (int r = 0; r < model.mergeCount(); r++) {
            int[] m = model.merge(r);
            rank.put(((long) m[0] << 32) | m[1], r);
        }
        return rank;
    }

    /** Encodes one piece: merge the lowest-ranked adjacent pair (leftmost on ties) until none is left. */
    static List<Integer> encodePiece(BpeModel model, Map<Long, Integer> rank, String piece) {
        List<Integer> s = new ArrayList<>();
        for (byte b : dev.nanolab.tokenizers.codec.Utf8.encode(piece)) s.add(model.byteId(b & 0xFF));
        while (true) {
            int at = -1, best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < s.size(); i++) {
                Integer r = rank.get(((long) s.get(i) << 32) | s.get(i + 1));
                if (r != null && r < best) {
                    best = r;
                    at = i;
                }
            }
            if (at < 0) return s;
            s.set(at, model.merge(best)[2]);
            s.remove(at + 1);
        }
    }
}
