package dev.nanolab.api.backend;

/**
 * Elementwise, broadcasting, reduction and copy kernels: what general tensor code (and a researcher's custom
 * normaliser) is written with. The fused kernels of the other groups cover the hot path of a training step.
 *
 * <p>Strided operands: element {@code idx} (a multi-index over {@code shape}) of an operand is at
 * {@code offset + Σ_d idx[d] · strides[d]}. A stride of 0 broadcasts that dimension. Outputs are contiguous unless
 * given strides.
 */
public interface Pointwise {
    /** {@code y[i] = f(x[i])} for {@code i < n}. x and y may be the same storage and offset. */
    void unary(UnaryOp op, float p0, float p1, Storage x, long xOffset, Storage y, long yOffset, long n);

    /**
     * {@code dx[i] (+)= f'(x[i]) · dy[i]}. {@code y} is the forward output, which some ops use instead of x.
     */
    void unaryBackward(UnaryOp op, float p0, float p1, Span x, Span y, Span dy, Span dx, long n, boolean accumulate);

    /** {@code out[idx] = a[idx] op b[idx]} over {@code shape}, with broadcasting strides; out is contiguous. */
    void binary(BinaryOp op, Storage a, long aOffset, int[] aStrides, Storage b, long bOffset, int[] bStrides,
                Storage out, long outOffset, int[] shape);

    /**
     * {@code dst[idx] (+)= src[idx]} over {@code shape}: permutes (transpose), slices, concatenates and broadcasts,
     * by the choice of strides. Destination strides must not be 0 (a reduction is {@link #reduce}).
     */
    void copy(Storage src, long srcOffset, int[] srcStrides, Storage dst, long dstOffset, int[] dstStrides,
              int[] shape, boolean accumulate);

    /**
     * Reduces the middle axis of a contiguous (outer, length, inner) array into (outer, inner):
     * {@code y[o, i] (+)= reduce_l x[o, l, i]}.
     */
    void reduce(ReduceOp op, Storage x, long xOffset, Storage y, long yOffset, int outer, int length, int inner,
                boolean accumulate);
}
