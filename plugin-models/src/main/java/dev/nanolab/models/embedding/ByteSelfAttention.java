package dev.nanolab.models.embedding;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;

/**
 * Causal sliding-window self-attention over the byte (or pooled-unit) sequence, (B, N, D) → (B, N, D), pre-norm and
 * added back by the caller: unit p sees units p − window + 1 … p. Through the fused masked attention, whose tiles
 * outside the window are skipped, so its cost grows with the window, not with N. The output projection starts at zero.
 */
final class ByteSelfAttention extends Layer {
    private final int heads, window;
    private final Linear qkv, proj;

    ByteSelfAttention(Backend be, int dim, int heads, int window, Rng rng) {
        this.heads = heads;
        this.window = window;
        qkv = child("qkv", new Linear(be, dim, 3 * dim, false, Init.normal(rng, (float) (0.5 / Math.sqrt(dim)))));
        proj = child("proj", new Linear(be, dim, dim, false, Init.zeros()));
    }

    Tensor forward(Tensor units) {
        Tensor h = qkv.forward(F.rmsNorm(units, null, MixtureOfTokenizers.EPS));
        F.AttentionOptions o = new F.AttentionOptions(window, Float.NEGATIVE_INFINITY, null, 0f, 0L);
        return proj.forward(F.causalSelfAttention(h, heads, o).out());
    }
}
