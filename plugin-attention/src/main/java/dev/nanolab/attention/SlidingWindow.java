package dev.nanolab.attention;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/** Causal attention restricted to the last {@code window} positions, with either normaliser. */
public final class SlidingWindow {
    private SlidingWindow() {}

    public record Config(@Doc("how many positions each query sees, itself included") @Range(min = 1) int window,
                         @Doc("softmax or softmax1") Normaliser normalizer) {
        public Config() {
            this(64, Normaliser.SOFTMAX);
        }
    }

    static AttentionVariant variant(Config c) {
        return spec -> new FusedAttention(spec, c.window(), c.normalizer().extraLogit(), false);
    }
}
