package dev.nanolab.api.nn;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;

/**
 * The cos and sin tables of rotary position embedding ({@link F#rope}) for heads of {@code headDim} channels at
 * positions [0, maxPositions): (maxPositions, headDim/2) each, cos(pos·ω_j) and sin(pos·ω_j), computed in double.
 * Fixed, so neither trained nor saved.
 */
public final class RotaryTable {
    private final Tensor cos, sin;
    private final int headDim, maxPositions;

    /** @param omegas the angular frequency of each of the headDim/2 channel pairs (0: the pair is not rotated) */
    public RotaryTable(Backend backend, int headDim, int maxPositions, double[] omegas) {
        if (headDim % 2 != 0 || omegas.length != headDim / 2)
            throw new IllegalArgumentException(omegas.length + " frequencies for head size " + headDim + " (needs an even size and size/2 frequencies)");
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        int half = headDim / 2;
        float[] c = new float[maxPositions * half], s = new float[maxPositions * half];
        for (int p = 0; p < maxPositions; p++)
            for (int j = 0; j < half; j++) {
                c[p * half + j] = (float) Math.cos(p * omegas[j]);
                s[p * half + j] = (float) Math.sin(p * omegas[j]);
            }
        this.cos = TensorScope.outside(() -> Tensor.of(backend, c, maxPositions, half));
        this.sin = TensorScope.outside(() -> Tensor.of(backend, s, maxPositions, half));
    }

    /** Su et al.'s RoPE: ω_j = base^(−j/(D/2)) for every pair (base 10000 in RoFormer and Llama). */
    public static RotaryTable standard(Backend backend, int headDim, int maxPositions, double base) {
        double[] w = new double[headDim / 2];
        for (int j = 0; j < w.length; j++) w[j] = Math.pow(base, -(double) j / w.length);
        return new RotaryTable(backend, headDim, maxPositions, w);
    }

    /**
     * modded-nanogpt's half-truncated RoPE: D/4 frequencies log-spaced from 1 to 1/base inclusive, and the other D/4
     * pairs not rotated at all (base 1024 there).
     */
    public static RotaryTable halfTruncated(Backend backend, int headDim, int maxPositions, double base) {
        double[] w = new double[headDim / 2];
        int n = headDim / 4;
        for (int j = 0; j < n; j++) w[j] = n == 1 ? 1 : Math.pow(1 / base, (double) j / (n - 1));
        return new RotaryTable(backend, headDim, maxPositions, w);
    }

    public Tensor cos() {
        return cos;
    }

    public Tensor sin() {
        return sin;
    }

    public int headDim() {
        return headDim;
    }

    public int maxPositions() {
        return maxPositions;
    }
}
