package dev.nanolab.attention;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.nn.F;

/**
 * Clipped softmax, {@code clip((ζ − γ)·softmax(x) + γ, 0, 1)}, from Bondarenko, Nagel and Blankevoort (2023),
 * "Quantizable Transformers: Removing Outliers by Helping Attention Heads Do Nothing". With γ &lt; 0 a head can put
 * exactly zero weight on tokens without pushing its logits to extremes, which is what grows activation outliers.
 * Runs through the unfused path (the clip is applied after normalisation), with autograd for the backward.
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
        return AttentionVariant.ofNormalizer(scores ->
                F.softmax(scores).mul(c.zeta() - c.gamma()).add(c.gamma()).clamp(0f, 1f));
    }
}
