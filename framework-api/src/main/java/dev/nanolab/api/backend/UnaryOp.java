package dev.nanolab.api.backend;

/**
 * Elementwise functions {@code y = f(x; p0, p1)}. The parameters are used by the ops that say so; the others
 * ignore them. Each op's derivative is what {@link Pointwise#unaryBackward} applies.
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU,
    /** relu(x)², the "ReLU²" of Primer and modded-nanogpt. */
    RELU_SQUARED,
    /** GPT-2's tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    GELU_TANH,
    ABS, SQUARE, RECIPROCAL,
    /** p0 · x */
    SCALE,
    /** x + p0 */
    ADD_SCALAR,
    /** x^p0 (x > 0 unless p0 is an integer) */
    POW,
    /** min(max(x, p0), p1); the gradient passes where p0 ≤ x ≤ p1. */
    CLAMP
}
