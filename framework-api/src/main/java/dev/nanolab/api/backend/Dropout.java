package dev.nanolab.api.backend;

/**
 * Inverted dropout with a counter-based mask: element i is kept when {@code hash(seed, i)} falls above p, so the
 * mask needs no storage, the backward regenerates it, and it does not depend on the thread count. Kept elements are
 * scaled by 1/(1−p).
 */
public interface Dropout {
    void dropout(Storage x, Storage y, long n, float p, long seed);

    void dropoutBackward(Storage dy, Storage dx, long n, float p, long seed, boolean accumulate);

    /** Whether element {@code i} is kept; the rule every backend must follow so that masks agree. */
    static boolean keep(long seed, long i, float p) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return ((z >>> 40) * 0x1.0p-24f) >= p;
    }
}
