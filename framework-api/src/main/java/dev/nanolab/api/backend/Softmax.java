package dev.nanolab.api.backend;

/**
 * Row softmax with an optional extra term in the denominator:
 * {@code y_j = exp(x_j) / (exp(extraLogit) + Σ_k exp(x_k))} over the unmasked entries of each row, and 0 at masked
 * ones. {@code extraLogit = -∞} is the standard softmax; {@code 0} is softmax1 ("quiet attention"). It is computed
 * shifted by {@code max(max_k x_k, extraLogit)}, so it stays finite for any input; a row with every entry masked
 * (or every entry -∞) gives zeros, not NaN.
 */
public interface Softmax {
    /** Over a contiguous (rows, cols) array; {@code mask} null means no mask. */
    void softmax(Storage x, Storage y, int rows, int cols, CausalMask mask, float extraLogit);

    /** {@code dx_j (+)= y_j · (dy_j − Σ_k y_k dy_k)}; masked entries get 0. */
    void softmaxBackward(Storage y, Storage dy, Storage dx, int rows, int cols, boolean accumulate);

    /** {@code y = x} where the mask allows, {@code value} elsewhere (e.g. -∞ before a custom normaliser). */
    void maskFill(Storage x, Storage y, int rows, int cols, CausalMask mask, float value);

    /** {@code dx (+)= dy} where the mask allows, 0 elsewhere. */
    void maskFillBackward(Storage dy, Storage dx, int rows, int cols, CausalMask mask, boolean accumulate);
}
