package dev.nanolab.optimizers;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.Gemm;
import dev.nanolab.api.backend.UnaryOp;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;

/**
 * The quintic Newton–Schulz iteration Muon uses to orthogonalise an update (Keller Jordan's
 * {@code zeropower_via_newtonschulz5}): on X with singular values in (0, 1],
 * <pre>
 *   A = X·Xᵀ,   B = b·A + c·A·A,   X ← a·X + B·X        with (a, b, c) = (3.4445, −4.7750, 2.0315)
 * </pre>
 * applies p(σ) = aσ + bσ³ + cσ⁵ to every singular value while keeping the singular vectors. The coefficients are
 * tuned to push small σ up fast (p'(0) = a) rather than to converge, so after 5 steps σ lands roughly in
 * [0.7, 1.2], not exactly on 1: close enough to U·Vᵀ for Muon, at 15 GEMMs.
 *
 * <p>A tall matrix (rows &gt; cols) is orthogonalised as its transpose, as modded-nanogpt does, so the Gram matrix is
 * the small cols×cols one. Here no transpose is copied: with the matrix kept as stored, the same step on Xᵀ reads
 * {@code A = Xᵀ·X, X ← a·X + X·Bᵀ}, which GEMM's transpose flags express directly.
 *
 * <p>All work is the backend's GEMM plus one scaling kernel; the scratch (two matrices and two Gram matrices, sized for
 * the largest matrix) is allocated once.
 */
public final class NewtonSchulz {
    public static final float A = 3.4445f, B = -4.7750f, C = 2.0315f;

    private final Backend backend;
    private final Tensor x, y, gram, poly;

    /**
     * @param maxElements     the most elements (rows·cols) of a matrix to orthogonalise
     * @param maxGramElements the most min(rows, cols)² of one
     */
    public NewtonSchulz(Backend backend, long maxElements, long maxGramElements) {
        this.backend = backend;
        Tensor[] t = TensorScope.outside(() -> new Tensor[] {
                Tensor.zeros(backend, (int) maxElements), Tensor.zeros(backend, (int) maxElements),
                Tensor.zeros(backend, (int) maxGramElements), Tensor.zeros(backend, (int) maxGramElements)});
        x = t[0];
        y = t[1];
        gram = t[2];
        poly = t[3];
    }

    /** Where the caller writes the matrix to orthogonalise: rows·cols values from index 0, row-major, norm ≤ 1. */
    public Tensor input() {
        return x;
    }

    /**
     * Runs {@code steps} iterations on the matrix in {@link #input()} and returns the tensor holding the result in its
     * first rows·cols elements (the input's buffer or the other scratch matrix, depending on the parity of steps).
     */
    public Tensor run(int rows, int cols, int steps) {
        Gemm gemm = backend.gemm();
        boolean tall = rows > cols;
        int s = Math.min(rows, cols);
        long n = (long) rows * cols;
        Tensor cur = x, next = y;
        for (int it = 0; it < steps; it++) {
            // A = X·Xᵀ (s×s); for a tall X, the Gram of its transpose, Xᵀ·X.
            if (tall) gemm.matmul(1, s, s, rows, 1f, cur.matrix().t(), cur.matrix(), gram.matrix(), false);
            else gemm.matmul(1, s, s, cols, 1f, cur.matrix(), cur.matrix().t(), gram.matrix(), false);
            // B = b·A + c·A·A
            backend.pointwise().unary(UnaryOp.SCALE, B, 0f, gram.storage(), 0, poly.storage(), 0, (long) s * s);
            gemm.matmul(1, s, s, s, C, gram.matrix(), gram.matrix(), poly.matrix(), true);
            // X' = a·X + B·X; for a tall X, the transpose of a·Xᵀ + B·Xᵀ, which is a·X + X·Bᵀ.
            backend.pointwise().unary(UnaryOp.SCALE, A, 0f, cur.storage(), 0, next.storage(), 0, n);
            if (tall) gemm.matmul(1, rows, cols, s, 1f, cur.matrix(), poly.matrix().t(), next.matrix(), true);
            else gemm.matmul(1, rows, cols, s, 1f, poly.matrix(), cur.matrix(), next.matrix(), true);
            Tensor t = cur;
            cur = next;
            next = t;
        }
        return cur;
    }
}
