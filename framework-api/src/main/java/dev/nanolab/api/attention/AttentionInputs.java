package dev.nanolab.api.attention;

import dev.nanolab.api.backend.CausalMask;
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
    private final int window;
    private final Tensor documentStarts;

    private AttentionInputs(Tensor x, Tensor packed, Tensor q, Tensor k, Tensor v, int window, Tensor documentStarts) {
        this.x = x;
        this.packed = packed;
        this.q = q;
        this.k = k;
        this.v = v;
        this.window = window;
        this.documentStarts = documentStarts;
    }

    /**
     * These inputs with a mask chosen by the model for this call: a sliding window of {@code window} keys (0 for
     * none; where the variant has a window of its own, the narrower wins), and the first key of each query's
     * document, I32 (B, Tq) absolute positions (null for none). A model with per-layer windows that grow during
     * training passes each layer's current window here.
     */
    public AttentionInputs masked(int window, Tensor documentStarts) {
        if (window < 0) throw new IllegalArgumentException("attention window " + window + " < 0");
        return new AttentionInputs(x, packed, q, k, v, window, documentStarts);
    }

    /** The model's window for this call, 0 for none. */
    public int window() {
        return window;
    }

    /** The first key of each query's document, I32 (B, Tq), or null. */
    public Tensor documentStarts() {
        return documentStarts;
    }

    /** The narrower of this call's window and a variant's own (0 meaning none on either side). */
    public int window(int variantWindow) {
        if (window == 0) return variantWindow;
        return variantWindow == 0 ? window : Math.min(window, variantWindow);
    }

    /** The mask of this call's (B, H, Tq, Tk) scores, with a variant's own window: for composed attention. */
    public CausalMask mask(int variantWindow, int heads) {
        CausalMask m = new CausalMask(queries(), keys(), keys() - queries(), window(variantWindow));
        return documentStarts == null ? m : m.withDocuments(documentStarts.storage(), heads);
    }

    /** Self-attention over a packed (B, T, 3C) projection. */
    public static AttentionInputs packed(Tensor x, Tensor qkv) {
        return new AttentionInputs(x, qkv, null, null, null, 0, null);
    }

    /** Queries over (possibly cached) keys and values. */
    public static AttentionInputs split(Tensor x, Tensor q, Tensor k, Tensor v) {
        return new AttentionInputs(x, null, q, k, v, 0, null);
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
