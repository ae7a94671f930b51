package dev.nanolab.api.backend;

/**
 * Kernels for the non-attention sequence models: WaveNet's dilated causal convolution and the LSTM cell.
 *
 * <p>Convolution layout, channels last: x is (B, T, Cin), y is (B, T, Cout), the weight is (Cout, Cin, K) and the
 * bias (Cout) or null. {@code y[b,t,o] = bias[o] + Σ_{c,k} w[o,c,k] · x[b, t − (K−1−k)·dilation, c]}, with x = 0
 * before the start of the sequence, so output t never depends on inputs after t.
 *
 * <p>LSTM cell: gates (B, 4H) are the pre-activations in the order input, forget, cell, output; then
 * {@code c = σ(f)·cPrev + σ(i)·tanh(g)} and {@code h = σ(o)·tanh(c)}.
 */
public interface Sequences {
    void causalConv1d(Storage x, Storage weight, Storage bias, Storage y, ConvShape shape);

    void causalConv1dBackward(Storage x, Storage weight, Storage dy, ConvShape shape, LayerGradients grads);

    void lstmCell(Storage gates, Storage cPrev, Storage c, Storage h, int batch, int hidden);

    /** dh and dc are the gradients reaching h and c (either may be null, meaning zero); writes dGates and dcPrev. */
    void lstmCellBackward(Storage gates, Storage cPrev, Storage c, Storage dh, Storage dc, LstmCellGradients grads,
                          int batch, int hidden);
}
