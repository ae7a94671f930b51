package dev.nanolab.tokenizers.bpe;

import dev.nanolab.api.data.Document;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.tokenizers.codec.Utf8;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * How often each distinct piece (pre-token) occurs in a corpus: the word-frequency table BPE training works on.
 * Documents are read in order and counted in batches on worker threads; since counts add up the same in any
 * order, the table does not depend on the number of threads.
 */
final class PieceCounts {
    /** Text per batch handed to a worker. */
    private static final int BATCH_CHARS = 1 << 20;

    private PieceCounts() {}

    /** Piece text (lone surrogates already replaced by U+FFFD) to its number of occurrences. */
    static Map<String, long[]> count(TextCorpus corpus, PieceSplitter splitter, int threads) {
        Map<String, long[]> total = new HashMap<>();
        if (threads == 1) {
            try (Stream<Document> documents = corpus.documents()) {
                documents.forEach(d -> countInto(total, List.of(d.text()), splitter));
            }
            return total;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bpe-count");
            t.setDaemon(true);
            return t;
        });
        ArrayDeque<Future<Map<String, long[]>>> running = new ArrayDeque<>();
        try (Stream<Document> documents = corpus.documents()) {
            List<String> batch = new ArrayList<>();
            int chars = 0;
            for (Iterator<Document> it = documents.iterator(); it.hasNext(); ) {
                String text = it.next().text();
                batch.add(text);
                chars += text.length();
                if (chars >= BATCH_CHARS || !it.hasNext()) {
                    List<String> texts = batch;
                    running.add(pool.submit(() -> countInto(new HashMap<>(), texts, splitter)));
                    batch = new ArrayList<>();
                    chars = 0;
                    // Bounded in flight, so a corpus larger than memory can be counted.
                    while (running.size() > 2 * threads) addAll(total, join(running.poll()));
                }
            }
            while (!running.isEmpty()) addAll(total, join(running.poll()));
        } finally {
            pool.shutdownNow();
        }
        return total;
    }

    private static Map<String, long[]> countInto(Map<String, long[]> counts, List<String> texts, PieceSplitter splitter) {
        for (String raw : texts) {
            String text = Utf8.withoutLoneSurrogates(raw);
            splitter.split(text, (start, end) -> counts.computeIfAbsent(text.substring(start, end), k -> new long[1])[0]++);
        }
        return counts;
    }

    private static void addAll(Map<String, long[]> total, Map<String, long[]> part) {
        part.forEach((piece, n) -> {
            long[] t = total.putIfAbsent(piece, n);
            if (t != null) t[0] += n[0];
        });
    }

    private static Map<String, long[]> join(Future<Map<String, long[]>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting the training text", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }
}
