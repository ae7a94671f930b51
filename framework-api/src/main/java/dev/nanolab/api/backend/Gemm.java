package dev.nanolab.api.backend;

/**
 * Batched matrix multiply on contiguous row-major matrices (layout: {@link GemmOperand}):
 * {@code C_b[m×n] = alpha · op(A_b)[m×k] · op(B_b)[k×n] (+ C_b if accumulate)} for {@code b < batch}, where op(X) is
 * X, or Xᵀ when the operand is transposed (then A_b is stored k×m, B_b n×k). C is never transposed.
 */
public interface Gemm {
    void matmul(int batch, int m, int n, int k, float alpha, GemmOperand a, GemmOperand b, GemmOperand c, boolean accumulate);
}
