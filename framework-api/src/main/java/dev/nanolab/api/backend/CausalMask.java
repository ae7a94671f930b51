package dev.nanolab.api.backend;

/**
 * Which keys a query may attend to. Row r of a (B, H, queries, keys) score array is query
 * {@code i = queryOffset + r % queries} of batch {@code b = r / (heads · queries)}; it sees key j when {@code j <= i},
 * with a window w &gt; 0 also {@code j > i - w}, and with document starts also {@code j >= documentStarts[b, r % queries]}
 * (a query never sees a key of an earlier document). Every rule keeps a row's visible keys one contiguous range,
 * {@code [firstKey, endKey)}, so a kernel skips whole tiles outside it: a short window or a short document is cheap.
 *
 * @param queries        queries per (batch, head) block
 * @param keys           keys per block
 * @param queryOffset    position of the first query (keys already in a KV cache)
 * @param window         sliding-window width, 0 for none
 * @param documentStarts I32 (B, queries): the position of the first key of each query's document, or null for none
 * @param heads          H, to find a score row's batch when there are document starts (1 otherwise)
 */
public record CausalMask(int queries, int keys, int queryOffset, int window, Storage documentStarts, int heads) {
    public CausalMask {
        if (queries < 1 || keys < 1 || queryOffset < 0 || window < 0 || heads < 1)
            throw new IllegalArgumentException("bad causal mask " + queries + "x" + keys + " offset " + queryOffset
                    + " window " + window + " heads " + heads);
        if (documentStarts != null && documentStarts.dtype() != DType.I32)
            throw new IllegalArgumentException("document starts must be I32 positions, got " + documentStarts.dtype());
    }

    /** Causal, optionally windowed, without documents. */
    public CausalMask(int queries, int keys, int queryOffset, int window) {
        this(queries, keys, queryOffset, window, null, 1);
    }

    /** This mask with documents: {@code starts} I32 (B, queries) for scores with {@code heads} heads per batch entry. */
    public CausalMask withDocuments(Storage starts, int heads) {
        return new CausalMask(queries, keys, queryOffset, window, starts, heads);
    }

    /** The first key query {@code queryIndex} may see by position and window alone (documents may start later). */
    public int firstKey(int queryIndex) {
        int i = queryOffset + queryIndex;
        return window > 0 ? Math.max(0, i - window + 1) : 0;
    }

    /** One past the last key query {@code queryIndex} may see. */
    public int endKey(int queryIndex) {
        return Math.min(keys, queryOffset + queryIndex + 1);
    }
}
