package dev.nanolab.api.tensor;

import static dev.nanolab.api.backend.GemmOperand.of;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.Gemm;

/**
 * Matrix products over the last two axes, batched over the leading ones, with transpose flags that read an operand
 * as its transpose without copying. The batch dimensions of the two operands must be equal, or one operand must have
 * none (it is then shared by every batch, like a weight).
 */
final class MatmulOps {
    private MatmulOps() {}

    /** The shapes of one product: op(A) is m×k, op(B) is k×n, over {@code batch} matrices. */
    private record Plan(int batch, int m, int n, int k, long aStride, long bStride, Shape out) {}

    static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        String op = "matmul";
        Tensors.sameBackend(op, a, b);
        Tensors.isFloat(op, a);
        Tensors.isFloat(op, b);
        Plan p = plan(a, b, transA, transB);
        Backend be = a.backend();
        Tensor c = Tensor.empty(be, p.out);
        run(be.gemm(), p, a, transA, b, transB, c, false);
        return c.recordBackward(g -> backward(be.gemm(), p, a, transA, b, transB, g), a, b);
    }

    private static Plan plan(Tensor a, Tensor b, boolean transA, boolean transB) {
        Shape as = a.shape(), bs = b.shape();
        if (as.rank() < 2 || bs.rank() < 2)
            throw new ShapeException("matmul", "needs at least 2-D operands, got " + as + " and " + bs);
        int m = transA ? as.dim(-1) : as.dim(-2), ka = transA ? as.dim(-2) : as.dim(-1);
        int kb = transB ? bs.dim(-1) : bs.dim(-2), n = transB ? bs.dim(-2) : bs.dim(-1);
        if (ka != kb)
            throw new ShapeException("matmul", "shapes " + as + (transA ? "ᵀ" : "") + " and " + bs + (transB ? "ᵀ" : "")
                    + " do not match: inner dimensions " + ka + " and " + kb + " differ");
        Shape aBatch = Shape.of(java.util.Arrays.copyOf(as.dims(), as.rank() - 2));
        Shape bBatch = Shape.of(java.util.Arrays.copyOf(bs.dims(), bs.rank() - 2));
        Shape batchShape;
        if (aBatch.equals(bBatch) || bBatch.rank() == 0) batchShape = aBatch;
        else if (aBatch.rank() == 0) batchShape = bBatch;
        else throw new ShapeException("matmul", "batch dimensions of " + as + " and " + bs + " differ");
        int batch = batchShape.sizeInt();
        int[] outDims = java.util.Arrays.copyOf(batchShape.dims(), batchShape.rank() + 2);
        outDims[outDims.length - 2] = m;
        outDims[outDims.length - 1] = n;
        long aStride = aBatch.rank() == 0 ? 0 : (long) m * ka;
        long bStride = bBatch.rank() == 0 ? 0 : (long) ka * n;
        return new Plan(batch, m, n, ka, aStride, bStride, Shape.of(outDims));
    }

    private static void run(Gemm gemm, Plan p, Tensor a, boolean transA, Tensor b, boolean transB, Tensor c,
                            boolean accumulate) {
        if (p.bStride == 0 && !transA && p.aStride != 0) {
            // A stack of row-major matrices times one shared matrix is one tall product: fewer, larger GEMM calls.
            gemm.matmul(1, p.batch * p.m, p.n, p.k, 1f, a.matrix(), b.matrix().transposedIf(transB), c.matrix(), accumulate);
        } else {
            gemm.matmul(p.batch, p.m, p.n, p.k, 1f, a.matrix().batched(p.aStride).transposedIf(transA), b.matrix().batched(p.bStride).transposedIf(transB), c.matrix().batched((long) p.m * p.n), accumulate);
        }
    }

    /**
     * With A' = op(A), B' = op(B) and C = A'B': dA' = dC·B'ᵀ and dB' = A'ᵀ·dC, written in each operand's stored
     * layout, so a transposed operand gets the transposed product.
     */
    private static void backward(Gemm gemm, Plan p, Tensor a, boolean transA, Tensor b, boolean transB, Tensor g) {
        long cStride = (long) p.m * p.n;
        Tensor.GradSink da = a.gradSink();
        if (da != null) {
            Tensor d = da.grad();
            if (p.aStride == 0) {
                // A is shared by every batch: its gradient sums over the batch.
                for (int i = 0; i < p.batch; i++)
                    gradA(gemm, p, b, transB, transA, g, g.offset() + i * cStride, b.offset() + i * p.bStride, d,
                            da.accumulate() || i > 0);
            } else if (p.bStride == 0 && !transA) {
                gemm.matmul(1, p.batch * p.m, p.k, p.n, 1f, g.matrix(), b.matrix().transposedIf(!transB), d.matrix(), da.accumulate());
            } else if (!transA) {
                gemm.matmul(p.batch, p.m, p.k, p.n, 1f, g.matrix().batched(cStride), b.matrix().batched(p.bStride).transposedIf(!transB), d.matrix().batched(p.aStride), da.accumulate());
            } else {
                gemm.matmul(p.batch, p.k, p.m, p.n, 1f, b.matrix().batched(p.bStride).transposedIf(transB), g.matrix().batched(cStride).t(), d.matrix().batched(p.aStride), da.accumulate());
            }
        }
        Tensor.GradSink db = b.gradSink();
        if (db != null) {
            Tensor d = db.grad();
            if (p.bStride == 0 && !transA) {
                // Shared B (a weight): sum over the batch by treating the stacked rows of A and dC as one matrix.
                int rows = p.batch * p.m;
                if (!transB)
                    gemm.matmul(1, p.k, p.n, rows, 1f, a.matrix().t(), g.matrix(), d.matrix(), db.accumulate());
                else
                    gemm.matmul(1, p.n, p.k, rows, 1f, g.matrix().t(), a.matrix(), d.matrix(), db.accumulate());
            } else if (p.bStride == 0) {
                for (int i = 0; i < p.batch; i++)
                    gradB(gemm, p, a, transA, transB, g, g.offset() + i * cStride, a.offset() + i * p.aStride, d,
                            db.accumulate() || i > 0, 1, 0, 0);
            } else {
                gradB(gemm, p, a, transA, transB, g, g.offset(), a.offset(), d, db.accumulate(), p.batch, p.aStride, cStride);
            }
        }
    }

    /** One batch entry of dA for a shared A. */
    private static void gradA(Gemm gemm, Plan p, Tensor b, boolean transB, boolean transA, Tensor g, long gOff,
                              long bOff, Tensor d, boolean accumulate) {
        if (!transA)
            gemm.matmul(1, p.m, p.k, p.n, 1f, of(g.storage(), gOff), of(b.storage(), bOff).transposedIf(!transB), d.matrix(), accumulate);
        else
            gemm.matmul(1, p.k, p.m, p.n, 1f, of(b.storage(), bOff).transposedIf(transB), of(g.storage(), gOff).t(), d.matrix(), accumulate);
    }

    private static void gradB(Gemm gemm, Plan p, Tensor a, boolean transA, boolean transB, Tensor g, long gOff,
                              long aOff, Tensor d, boolean accumulate, int batch, long aStride, long gStride) {
        long dStride = batch == 1 ? 0 : p.bStride;
        if (!transB)
            gemm.matmul(batch, p.k, p.n, p.m, 1f, of(a.storage(), aOff).batched(aStride).transposedIf(!transA), of(g.storage(), gOff).batched(gStride), d.matrix().batched(dStride), accumulate);
        else
            gemm.matmul(batch, p.n, p.k, p.m, 1f, of(g.storage(), gOff).batched(gStride).t(), of(a.storage(), aOff).batched(aStride).transposedIf(transA), d.matrix().batched(dStride), accumulate);
    }
}
