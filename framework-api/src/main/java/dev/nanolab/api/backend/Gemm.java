package dev.nanolab.api.backend;

/**
 * Batched matrix multiply on contiguous row-major matrices:
 * {@code C_b[m×n] = alpha · op(A_b)[m×k] · op(B_b)[k×n] (+ C_b if accumulate)} for {@code b < batch}.
 * With {@code transA}, each A is stored k×m; with {@code transB}, each B is stored n×k. Matrix b of an operand
 * starts at {@code offset + b * batchStride}; a batch stride of 0 reuses one matrix for every b (a shared weight).
 */
public interface Gemm {
    void matmul(int batch, int m, int n, int k, float alpha,
                Storage a, long aOffset, long aBatchStride, boolean transA,
                Storage b, long bOffset, long bBatchStride, boolean transB,
                Storage c, long cOffset, long cBatchStride, boolean accumulate);
}
