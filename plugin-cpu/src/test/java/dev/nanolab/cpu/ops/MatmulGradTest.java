package dev.nanolab.cpu.ops;

import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Matrix products in every transpose and batching layout, and the linear layer. */
class MatmulGradTest {
    @Test
    void everyTransposeCombination2d() {
        GradCheck gc = new GradCheck(21);
        int m = 7, n = 19, k = 17;
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                double[] a = gc.randn(m * k, 1), b = gc.randn(k * n, 1);
                int[] as = ta ? new int[] {k, m} : new int[] {m, k}, bs = tb ? new int[] {n, k} : new int[] {k, n};
                gc.check("matmul ta=" + ta + " tb=" + tb, List.of(GradCheck.Input.of(a, as), GradCheck.Input.of(b, bs)),
                        xs -> xs.get(0).matmul(xs.get(1), ta, tb),
                        in -> Ref.matmul(in.get(0), in.get(1), 1, m, n, k, ta, tb, true, true));
            }
    }

    @Test
    void batchedAndSharedOperands() {
        GradCheck gc = new GradCheck(22);
        int z = 3, m = 5, n = 6, k = 9;
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                int[] as = ta ? new int[] {z, k, m} : new int[] {z, m, k};
                int[] bs = tb ? new int[] {z, n, k} : new int[] {z, k, n};
                double[] a = gc.randn(z * m * k, 1), b = gc.randn(z * k * n, 1);
                gc.check("batched ta=" + ta + " tb=" + tb, List.of(GradCheck.Input.of(a, as), GradCheck.Input.of(b, bs)),
                        xs -> xs.get(0).matmul(xs.get(1), ta, tb), in -> Ref.matmul(in.get(0), in.get(1), z, m, n, k, ta, tb, false, false));
                // One shared B for every batch entry (a weight), and one shared A.
                int[] b2 = tb ? new int[] {n, k} : new int[] {k, n};
                double[] bShared = gc.randn(k * n, 1);
                gc.check("sharedB ta=" + ta + " tb=" + tb, List.of(GradCheck.Input.of(a, as), GradCheck.Input.of(bShared, b2)),
                        xs -> xs.get(0).matmul(xs.get(1), ta, tb), in -> Ref.matmul(in.get(0), in.get(1), z, m, n, k, ta, tb, false, true));
                int[] a2 = ta ? new int[] {k, m} : new int[] {m, k};
                double[] aShared = gc.randn(m * k, 1);
                gc.check("sharedA ta=" + ta + " tb=" + tb, List.of(GradCheck.Input.of(aShared, a2), GradCheck.Input.of(b, bs)),
                        xs -> xs.get(0).matmul(xs.get(1), ta, tb), in -> Ref.matmul(in.get(0), in.get(1), z, m, n, k, ta, tb, true, false));
            }
    }

    @Test
    void fourDimensionalBatch() {
        GradCheck gc = new GradCheck(23);
        double[] a = gc.randn(2 * 3 * 4 * 5, 1), b = gc.randn(2 * 3 * 5 * 6, 1);
        gc.check("4d", List.of(GradCheck.Input.of(a, 2, 3, 4, 5), GradCheck.Input.of(b, 2, 3, 5, 6)),
                xs -> xs.get(0).matmul(xs.get(1)), in -> Ref.matmul(in.get(0), in.get(1), 6, 4, 6, 5, false, false, false, false));
    }

    @Test
    void linearWithAndWithoutBias() {
        GradCheck gc = new GradCheck(24);
        int rows = 2 * 7, in = 17, out = 33;
        double[] x = gc.randn(rows * in, 1), w = gc.randn(out * in, 0.3), b = gc.randn(out, 1);
        gc.check("linear+bias", List.of(GradCheck.Input.of(x, 2, 7, in), GradCheck.Input.of(w, out, in), GradCheck.Input.of(b, out)),
                xs -> F.linear(xs.get(0), xs.get(1), xs.get(2)), r -> {
                    double[] y = Ref.matmul(r.get(0), r.get(1), 1, rows, out, in, false, true, true, true);
                    for (int i = 0; i < y.length; i++) y[i] += r.get(2)[i % out];
                    return y;
                });
        gc.check("linear", List.of(GradCheck.Input.of(x, rows, in), GradCheck.Input.of(w, out, in)),
                xs -> F.linear(xs.get(0), xs.get(1), null),
                r -> Ref.matmul(r.get(0), r.get(1), 1, rows, out, in, false, true, true, true));
    }

    @Test
    void aHandfulOfRowsTakesTheUnpackedPath() {
        // One to four rows (a decoder's new token) skip the packed GEMM: check that path too.
        GradCheck gc = new GradCheck(26);
        for (int m = 1; m <= 4; m++) {
            int rows = m, in = 37, out = 300;
            double[] x = gc.randn(rows * in, 1), w = gc.randn(out * in, 0.3), wt = gc.randn(in * out, 0.3);
            gc.check("linear m=" + m, List.of(GradCheck.Input.of(x, rows, in), GradCheck.Input.of(w, out, in)),
                    xs -> F.linear(xs.get(0), xs.get(1), null),
                    r -> Ref.matmul(r.get(0), r.get(1), 1, rows, out, in, false, true, true, true));
            gc.check("matmul NN m=" + m, List.of(GradCheck.Input.of(x, rows, in), GradCheck.Input.of(wt, in, out)),
                    xs -> xs.get(0).matmul(xs.get(1)),
                    r -> Ref.matmul(r.get(0), r.get(1), 1, rows, out, in, false, false, true, true));
        }
    }

    @Test
    void embeddingLookupAndScatter() {
        GradCheck gc = new GradCheck(25);
        int vocab = 11, dim = 19;
        int[] ids = {3, 0, 10, 3, 3, 7, 1, 0, 9, 3, 5, 2};
        double[] table = gc.randn(vocab * dim, 1);
        gc.check("embedding", List.of(GradCheck.Input.ids(ids, 3, 4), GradCheck.Input.of(table, vocab, dim)),
                xs -> F.embedding(xs.get(0), xs.get(1)), r -> {
                    double[] y = new double[ids.length * dim];
                    for (int i = 0; i < ids.length; i++) for (int d = 0; d < dim; d++) y[i * dim + d] = r.get(1)[ids[i] * dim + d];
                    return y;
                });
    }
}
