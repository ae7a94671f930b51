package dev.nanolab.models.modern;

/**
 * Each layer's attention window at a training step: long or short (half the long one) by the config's pattern, the
 * long window growing linearly from {@code window_start} to {@code long_window} over {@code window_warmup_iters}
 * forward passes, rounded up to a multiple of {@code window_block} (modded-nanogpt grows its window by 128-token
 * blocks over the whole run). 0 means no window: full causal attention.
 */
final class Windows {
    private final ModernGptConfig c;
    private final int longest;

    Windows(ModernGptConfig c) {
        this.c = c;
        this.longest = c.longWindow() == 0 ? c.blockSize() : c.longWindow();
    }

    /** Whether the window changes with the step: window_start 0 is "no growth", whatever window_warmup_iters says. */
    boolean grows() {
        return c.windowStart() > 0 && c.windowWarmupIters() > 0;
    }

    /** The long window after {@code step} training forward passes. */
    int longWindow(long step) {
        if (!grows()) return longest;
        double f = Math.min(1.0, (double) step / c.windowWarmupIters());
        double w = c.windowStart() + (longest - c.windowStart()) * f;
        int rounded = (int) Math.ceil(w / c.windowBlock()) * c.windowBlock();
        return Math.max(1, Math.min(longest, rounded));
    }

    /** Layer {@code layer}'s window after {@code step} forward passes; 0 when it covers the whole block. */
    int window(int layer, long step) {
        int w = longWindow(step);
        String pattern = c.windowPattern();
        if (!pattern.isEmpty() && pattern.charAt(layer % pattern.length()) == 'S') w = Math.max(1, w / 2);
        return w >= c.blockSize() ? 0 : w;
    }
}
