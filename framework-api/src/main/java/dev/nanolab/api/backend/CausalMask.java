package dev.nanolab.api.backend;

/**
 * Which keys a query may attend to. Row r of a (rows, keys) score array is query {@code i = queryOffset + r % queries};
 * it sees key j when {@code j <= i} and, with a window w > 0, {@code j > i - w}.
 *
 * @param queries     queries per (batch, head) block
 * @param keys        keys per block
 * @param queryOffset position of the first query (keys already in a KV cache)
 * @param window      sliding-window width, 0 for none
 */
public record CausalMask(int queries, int keys, int queryOffset, int window) {
    public CausalMask {
        if (queries < 1 || keys < 1 || queryOffset < 0 || window < 0)
            throw new IllegalArgumentException("bad causal mask " + queries + "x" + keys + " offset " + queryOffset
                    + " window " + window);
    }

    /** The first key row {@code r % queries} may see. */
    public int firstKey(int queryIndex) {
        int i = queryOffset + queryIndex;
        return window > 0 ? Math.max(0, i - window + 1) : 0;
    }

    /** One past the last key row {@code r % queries} may see. */
    public int endKey(int queryIndex) {
        return Math.min(keys, queryOffset + queryIndex + 1);
    }
}
