package dev.nanolab.api.backend;

/**
 * One operand of a batched matrix multiply: a contiguous row-major matrix per batch entry, matrix b starting at
 * {@code offset + b · batchStride} (a batch stride of 0 reuses one matrix for every b: a shared weight), read as
 * its transpose when {@code transposed}. Build one with {@link #of} and {@link #t()} / {@link #batched}, so a call
 * reads like the math: {@code matmul(1, rows, out, in, 1f, of(x), of(w).t(), of(y), false)} is y = x·wᵀ.
 */
public record GemmOperand(Storage storage, long offset, long batchStride, boolean transposed) {
    public GemmOperand {
        if (storage == null) throw new IllegalArgumentException("a GEMM operand needs a storage");
        if (offset < 0 || batchStride < 0)
            throw new IllegalArgumentException("GEMM operand offset " + offset + " / batch stride " + batchStride + " < 0");
    }

    /** The matrix at {@code offset}, one for every batch entry, not transposed. */
    public static GemmOperand of(Storage storage, long offset) {
        return new GemmOperand(storage, offset, 0, false);
    }

    /** This operand read as its transpose. */
    public GemmOperand t() {
        return new GemmOperand(storage, offset, batchStride, !transposed);
    }

    /** This operand read as its transpose when {@code transpose} is set, else as it is. */
    public GemmOperand transposedIf(boolean transpose) {
        return transpose ? t() : this;
    }

    /** This operand with one matrix per batch entry, {@code stride} elements apart. */
    public GemmOperand batched(long stride) {
        return new GemmOperand(storage, offset, stride, transposed);
    }
}
