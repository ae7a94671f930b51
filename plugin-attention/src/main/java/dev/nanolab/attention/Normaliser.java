package dev.nanolab.attention;

/** The two normalisers the fused kernel implements. */
public enum Normaliser {
    /** exp(x_i) / Σ_j exp(x_j) */
    SOFTMAX(Float.NEGATIVE_INFINITY),
    /** exp(x_i) / (1 + Σ_j exp(x_j)): "quiet attention", Evan Miller's "Attention is off by one" */
    SOFTMAX1(0f);

    private final float extraLogit;

    Normaliser(float extraLogit) {
        this.extraLogit = extraLogit;
    }

    /** The constant extra logit in the denominator. */
    public float extraLogit() {
        return extraLogit;
    }
}
