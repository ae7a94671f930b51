package dev.nanolab.tokenizers.bpe;

import dev.nanolab.api.data.TextCorpus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Learns byte-level BPE merges from a corpus.
 *
 * <ol>
 *   <li>Count the distinct pieces of the corpus ({@link PieceCounts}): the word-frequency table.</li>
 *   <li>Character coverage: sort the code points by frequency (ties: smaller code point first) and keep the
 *   shortest prefix that makes up {@code character_coverage} of all; the rest are rare. A rare character cuts a
 *   word in two and its bytes take part in no merge, so it stays as byte tokens.</li>
 *   <li>Count every adjacent pair of each word ({@link PairIndex}) and queue the pairs ({@link PairQueue}).</li>
 *   <li>Repeatedly take the most frequent pair, give the joined token the next id (256, 257, ...), rewrite the
 *   words that hold the pair left to right, and apply the resulting count changes to the neighbouring pairs.</li>
 * </ol>
 *
 * <p><b>Tie-breaking</b>, so that training is deterministic: among pairs of equal count, the one whose left token id
 * is smaller wins, then the one whose right token id is smaller. Byte tokens have ids 0..255 (the byte value) and
 * merged tokens ids in merge order, so ids, and hence the rule, depend on nothing but the corpus and the config.
 * Counting is the only parallel step, and counts add up the same in any order, so the thread count does not
 * change the result.
 *
 * <p>Training stops when the vocabulary is full, or when the best pair occurs fewer than {@code min_frequency}
 * times (then the vocabulary is smaller than asked). A pair whose token would be longer than
 * {@code max_piece_length} bytes is never counted.
 */
final class BpeTrainer {
    private final BpeConfig config;

    private int[][] words;
    private int[] wordLength;
    private long[] wordCount;
    private int[] tokenLength;
    private PairIndex pairs;

    BpeTrainer(BpeConfig config) {
        this.config = config;
    }

    BpeModel train(TextCorpus corpus) {
        String pattern = config.preTokenizer().pattern();
        int threads = config.threads() == 0 ? Runtime.getRuntime().availableProcessors() : config.threads();
        Map<String, long[]> pieces = PieceCounts.count(corpus, PieceSplitter.of(pattern), threads);
        buildWords(pieces, rareCodePoints(pieces));

        int wanted = config.vocabSize() - 256 - config.specialTokens().size();
        tokenLength = new int[256 + wanted];
        Arrays.fill(tokenLength, 0, 256, 1);
        pairs = new PairIndex(1 << 16);
        PairQueue queue = new PairQueue();
        pairs.startStep();
        for (int w = 0; w < words.length; w++)
            for (int i = 0; i + 1 < wordLength[w]; i++) countPair(words[w][i], words[w][i + 1], wordCount[w], w);
        pairs.forEachTouched((key, count) -> queue.push(count, key));

        List<int[]> merges = new ArrayList<>();
        while (merges.size() < wanted) {
            long best = -1;
            while (!queue.isEmpty()) {
                long queued = queue.topCount(), key = queue.topKey();
                queue.pop();
                long now = pairs.count(key);
                if (now == queued) {
                    best = key;
                    break;
                }
                if (now > 0) queue.push(now, key);
            }
            if (best < 0 || pairs.count(best) < config.minFrequency()) break;
            int left = (int) (best >>> 32), right = (int) best, token = 256 + merges.size();
            merges.add(new int[] {left, right});
            tokenLength[token] = tokenLength[left] + tokenLength[right];
            pairs.startStep();
            for (int w : pairs.words(best)) mergeInWord(w, left, right, token);
            pairs.clear(best);
            pairs.forEachTouched((key, count) -> {
                if (count > 0) queue.push(count, key);
            });
        }
        return model(merges, pattern);
    }

    private void countPair(int left, int right, long delta, int word) {
        int max = config.maxPieceLength();
        if (max > 0 && tokenLength[left] + tokenLength[right] > max) return;
        pairs.add(left, right, delta, word);
    }

    /**
     * Replaces each occurrence of (left, right) in the word, left to right, by {@code token}, and moves the word's
     * pair counts accordingly: the pair before an occurrence is taken from the already rewritten symbols (it may be
     * the new token), the pair after it from the original ones, which makes overlapping runs such as
     * {@code a b a b} come out right.
     */
    private void mergeInWord(int w, int left, int right, int token) {
        int[] s = words[w];
        int n = wordLength[w];
        long c = wordCount[w];
        int out = 0;
        for (int i = 0; i < n; ) {
            if (i + 1 < n && s[i] == left && s[i + 1] == right) {
                if (out > 0) {
                    countPair(s[out - 1], left, -c, w);
                    countPair(s[out - 1], token, c, w);
                }
                if (i + 2 < n) {
                    countPair(right, s[i + 2], -c, w);
                    countPair(token, s[i + 2], c, w);
                }
                s[out++] = token;
                i += 2;
            } else {
                s[out++] = s[i++];
            }
        }
        wordLength[w] = out;
    }

    /** The code points outside the character coverage. */
    private BitSet rareCodePoints(Map<String, long[]> pieces) {
        BitSet rare = new BitSet();
        if (config.characterCoverage() >= 1) return rare;
        long[] counts = new long[Character.MAX_CODE_POINT + 1];
        long total = 0;
        for (Map.Entry<String, long[]> e : pieces.entrySet()) {
            String piece = e.getKey();
            long n = e.getValue()[0];
            for (int i = 0; i < piece.length(); ) {
                int cp = piece.codePointAt(i);
                counts[cp] += n;
                total += n;
                i += Character.charCount(cp);
            }
        }
        int[] seen = IntStream.range(0, counts.length).filter(cp -> counts[cp] > 0).boxed()
                .sorted(Comparator.<Integer>comparingLong(cp -> counts[cp]).reversed().thenComparing(cp -> cp))
                .mapToInt(Integer::intValue).toArray();
        double needed = config.characterCoverage() * total;
        long covered = 0;
        int kept = 0;
        while (kept < seen.length && covered < needed) covered += counts[seen[kept++]];
        for (int i = kept; i < seen.length; i++) rare.set(seen[i]);
        return rare;
    }

    /**
     * The words to merge in: each piece cut at its rare characters into UTF-8 byte sequences, identical sequences
     * added up, those shorter than two bytes (nothing to merge) left out. Sorted by bytes, though the merges do not
     * depend on the order.
     */
    private void buildWords(Map<String, long[]> pieces, BitSet rare) {
        Map<String, long[]> sequences = new HashMap<>(pieces.size() * 2);
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        for (Map.Entry<String, long[]> e : pieces.entrySet()) {
            String piece = e.getKey();
            long n = e.getValue()[0];
            if (rare.isEmpty()) {
                addSequence(sequences, piece.getBytes(StandardCharsets.UTF_8), n);
                continue;
            }
            part.reset();
            for (int i = 0; i < piece.length(); ) {
                int cp = piece.codePointAt(i);
                i += Character.charCount(cp);
                if (rare.get(cp)) {
                    addSequence(sequences, part.toByteArray(), n);
                    part.reset();
                } else {
                    part.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                }
            }
            addSequence(sequences, part.toByteArray(), n);
        }
        String[] keys = sequences.keySet().toArray(String[]::new);
        Arrays.sort(keys);
        words = new int[keys.length][];
        wordLength = new int[keys.length];
        wordCount = new long[keys.length];
        for (int w = 0; w < keys.length; w++) {
            String key = keys[w];
            int[] symbols = new int[key.length()];
            for (int i = 0; i < symbols.length; i++) symbols[i] = key.charAt(i);
            words[w] = symbols;
            wordLength[w] = symbols.length;
            wordCount[w] = sequences.get(key)[0];
        }
    }

    private static void addSequence(Map<String, long[]> sequences, byte[] bytes, long n) {
        if (bytes.length < 2) return;
        long[] count = sequences.putIfAbsent(BpeModel.key(bytes), new long[] {n});
        if (count != null) count[0] += n;
    }

    private BpeModel model(List<int[]> merges, String pattern) {
        int size = 256 + merges.size() + config.specialTokens().size();
        byte[][] tokens = new byte[size][];
        for (int b = 0; b < 256; b++) tokens[b] = new byte[] {(byte) b};
        for (int m = 0; m < merges.size(); m++) {
            byte[] left = tokens[merges.get(m)[0]], right = tokens[merges.get(m)[1]];
            byte[] joined = Arrays.copyOf(left, left.length + right.length);
            System.arraycopy(right, 0, joined, left.length, right.length);
            tokens[256 + m] = joined;
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (String s : config.specialTokens()) specials.put(s, 256 + merges.size() + specials.size());
        return new BpeModel(tokens, merges.toArray(int[][]::new), specials, pattern, false, false);
    }
}
