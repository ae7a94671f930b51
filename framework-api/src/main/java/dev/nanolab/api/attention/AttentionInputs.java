package dev.nanolab.api.attention;

import dev.nanolab.api.tensor.Tensor;
import java.util.List;

/**
 * The inputs of one attention call. Queries are the last {@code Tq} of {@code Tk} positions: in training Tq = Tk,
 * while a KV-cached decoder passes one new query over every cached key.
 *
 * <ul>
 *   <li>{@link #x()}: the block's (normalised) input (B, Tq, C), for variants that gate on it;</li>
 *   <li>{@link #packedQkv()}: in training, the packed (B, T, 3C) projection, which fused kernels read in place;</li>
 *   <li>{@link #q()}, {@link #k()}, {@link #v()}: (B, Tq, C), (B, Tk, C), (B, Tk, C), split from the packed
 *   projection on first use when not given directly.</li>
 * </ul>
 */
public final class AttentionInputs {
    private final Tensor x;
    private final Tensor packed;
    private Tensor q, k, v;

    private AttentionInputs(Tensor x, Tensor packed, Tensor q, Tensor k, Tensor v) {
        this.x = x;
        this.packed = packed;
        this.q = q;
        this.k = k;
        this.v = v;
    }

    /** Self-attention over a packed (B, T, 3C) projection. */
    public static AttentionInputs packed(Tensor x, Tensor qkv) {
        return new AttentionInputs(x, qkv, null, null, null);
    }

    /** Queries over (possibly cached) keys and values. */
    public static AttentionInputs split(Tensor x, Tensor q, Tensor k, Tensor v) {
        return new AttentionInputs(x, null, q, k, v);
    }

    public Tensor x() {
        return x;
    }

    /** The packed projection, or null when q, k, v were given separately. */
    public Tensor packedQkv() {
        return packed;
    }

    public Tensor q() {
        split();
        return q;
    }

    public Tensor k() {
        split();
        return k;
    }

    public Tensor v() {
        split();
        return v;
    }

    private void split() {
        if (q != null) return;
        int c = packed.dim(-1) / 3;
        List<Tensor> parts = packed.split(-1, c, c, c);
        q = parts.get(0);
        k = parts.get(1);
        v = parts.get(2);
    }

    /** Number of query positions. */
    public int queries() {
        return packed != null ? packed.dim(1) : q.dim(1);
    }

    /** Number of key positions. */
    public int keys() {
        return packed != null ? packed.dim(1) : k.dim(1);
    }
}
