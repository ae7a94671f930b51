package dev.nanolab.attention;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.config.Doc;

/**
 * Clipped softmax, {@code clip((ζ − γ)·softmax(x) + γ, 0, 1)}, from Bondarenko, Nagel and Blankevoort (2023),
 * "Quantizable Transformers: Removing Outliers by Helping Attention Heads Do Nothing". With γ &lt; 0 a head can put
 * exactly zero weight on tokens without pushing its logits to extremes, which is what grows activation outliers.
 * Runs on the backend's fused attention kernel: the clip needs each row's softmax denominator before any weight is
 * known, so the kernel makes two passes over a row's keys (see {@link dev.nanolab.api.backend.Attention}).
 */
public final class ClippedSoftmax {
    private ClippedSoftmax() {}

    /**
     * @param gamma the lower stretch γ (≤ 0); the paper writes γ = −α/T and found α of a few units best
     * @param zeta  the upper stretch ζ (≥ 1)
     */
    public record Config(@Doc("lower stretch γ (≤ 0)") float gamma, @Doc("upper stretch ζ (≥ 1)") float zeta) {
        public Config {
            if (gamma > 0) throw new IllegalArgumentException("gamma must be <= 0, got " + gamma);
            if (zeta < 1) throw new IllegalArgumentException("zeta must be >= 1, got " + zeta);
        }

        public Config() {
            this(-0.03f, 1f);
        }
    }

    static AttentionVariant variant(Config c) {
        return spec -> new FusedAttention(spec, 0, Float.NEGATIVE_INFINITY, false, c.gamma(), c.zeta());
    }
}
