package dev.nanolab.api.nn;

import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;

/**
 * Inverted dropout in training mode, the identity in eval mode. Each forward draws its mask seed from the model's
 * dropout generator, which checkpoints save, so a resumed run drops the same units.
 */
public final class Dropout extends Layer {
    private final float p;
    private final Rng rng;

    public Dropout(float p, Rng rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        this.p = p;
        this.rng = rng;
    }

    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) return x;
        return emit(F.dropout(x, p, rng.nextLong()));
    }

    public float p() {
        return p;
    }
}
