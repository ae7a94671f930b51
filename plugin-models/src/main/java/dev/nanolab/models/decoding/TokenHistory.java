package dev.nanolab.models.decoding;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Every token a KV-cached decoder was fed, per sequence: for rebuilding its caches from the last block_size tokens
 * after a crop, and for the earlier ids an input embedding reads ({@code TokenEmbedding.contextTokens()}).
 */
public final class TokenHistory {
    private final int batch;
    private final List<int[]> fed = new ArrayList<>();
    private int length;

    public TokenHistory(int batch) {
        this.batch = batch;
    }

    /** Records ids (B·n, row-major). */
    public void add(int[] ids) {
        fed.add(ids);
        length += ids.length / batch;
    }

    /** The last t tokens of every sequence, (B·t) row-major. */
    public int[] last(int t) {
        return window(length - t, t);
    }

    /**
     * The ids an embedding reads before the newest n tokens: the last min(wanted, available) tokens before them,
     * where {@code available} is how many of the decoder's current window precede them. Null when none.
     */
    public Tensor context(Backend be, int n, int available, int wanted) {
        int m = Math.min(wanted, available);
        if (m <= 0) return null;
        return Tensor.ofInts(be, window(length - n - m, m), batch, m);
    }

    private int[] window(int skip, int t) {
        int[] out = new int[batch * t];
        for (int b = 0; b < batch; b++) {
            int pos = 0;
            for (int[] h : fed) {
                int n = h.length / batch;
                for (int i = 0; i < n; i++, pos++)
                    if (pos >= skip && pos < skip + t) out[b * t + pos - skip] = h[b * n + i];
            }
        }
        return out;
    }
}
