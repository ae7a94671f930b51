package dev.nanolab.cpu.ops;

import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.nn.F;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Normalisation, softmax (with softmax1 and masks), cross-entropy and dropout. */
class NormSoftmaxLossGradTest {
    @Test
    void layerNormWithAndWithoutBias() {
        GradCheck gc = new GradCheck(31).tolerances(1e-4, 5e-3, 1e-3);
        for (int dim : new int[] {1 + 2, 17, 64, 70}) {
            int rows = 37;
            double[] x = gc.randn(rows * dim, 2), w = gc.randn(dim, 1), b = gc.randn(dim, 1);
            for (int i = 0; i < x.length; i++) x[i] += 0.5;
            gc.check("layerNorm+bias d=" + dim, List.of(GradCheck.Input.of(x, rows, dim), GradCheck.Input.of(w, dim), GradCheck.Input.of(b, dim)),
                    xs -> F.layerNorm(xs.get(0), xs.get(1), xs.get(2), 1e-5f), r -> Ref.layerNorm(r.get(0), r.get(1), r.get(2), rows, dim, 1e-5));
            gc.check("layerNorm d=" + dim, List.of(GradCheck.Input.of(x, rows, dim), GradCheck.Input.of(w, dim)),
                    xs -> F.layerNorm(xs.get(0), xs.get(1), null, 1e-5f), r -> Ref.layerNorm(r.get(0), r.get(1), null, rows, dim, 1e-5));
        }
    }

    @Test
    void rmsNormWithAndWithoutWeight() {
        GradCheck gc = new GradCheck(32).tolerances(1e-4, 5e-3, 1e-3);
        int rows = 5, dim = 23;
        double[] x = gc.randn(rows * dim, 1), w = gc.randn(dim, 1);
        gc.check("rmsNorm", List.of(GradCheck.Input.of(x, rows, dim), GradCheck.Input.of(w, dim)),
                xs -> F.rmsNorm(xs.get(0), xs.get(1), 1e-6f), r -> Ref.rmsNorm(r.get(0), r.get(1), rows, dim, 1e-6));
        gc.check("rmsNorm no weight", List.of(GradCheck.Input.of(x, rows, dim)),
                xs -> F.rmsNorm(xs.get(0), null, 1e-6f), r -> Ref.rmsNorm(r.get(0), null, rows, dim, 1e-6));
    }

    @Test
    void softmaxPlainOneAndMasked() {
        GradCheck gc = new GradCheck(33);
        int rows = 6, cols = 19;
        double[] x = gc.randn(rows * cols, 2);
        gc.check("softmax", List.of(GradCheck.Input.of(x, rows, cols)), xs -> F.softmax(xs.get(0)),
                r -> Ref.softmax(r.get(0), rows, cols, null, Double.NEGATIVE_INFINITY));
        gc.check("softmax1", List.of(GradCheck.Input.of(x, rows, cols)), xs -> F.softmax(xs.get(0), null, 0f),
                r -> Ref.softmax(r.get(0), rows, cols, null, 0));
        // (2 blocks × 3 queries) × 5 keys: the queries are positions 2..4 of a 5-token sequence (2 cached keys).
        int q = 3, k = 5;
        double[] s = gc.randn(2 * q * k, 2);
        for (int window : new int[] {0, 2})
            for (float extra : new float[] {Float.NEGATIVE_INFINITY, 0f}) {
                CausalMask mask = new CausalMask(q, k, k - q, window);
                gc.check("masked window=" + window + " extra=" + extra, List.of(GradCheck.Input.of(s, 2, q, k)),
                        xs -> F.softmax(xs.get(0), mask, extra), r -> Ref.softmax(r.get(0), 2 * q, k, Ref.causal(2 * q, q, k, window), extra));
            }
    }

    @Test
    void maskFillPassesGradientOnlyWhereAllowed() {
        GradCheck gc = new GradCheck(34);
        double[] s = gc.randn(2 * 4 * 4, 1);
        CausalMask mask = new CausalMask(4, 4, 0, 0);
        boolean[][] allowed = Ref.causal(8, 4, 4, 0);
        gc.check("maskFill", List.of(GradCheck.Input.of(s, 2, 4, 4)), xs -> F.maskFill(xs.get(0), mask, -7f), r -> {
            double[] y = new double[32];
            for (int i = 0; i < 32; i++) y[i] = allowed[i / 4][i % 4] ? r.get(0)[i] : -7;
            return y;
        });
    }

    @Test
    void crossEntropyWithIgnoredTargets() {
        GradCheck gc = new GradCheck(35);
        int rows = 9, vocab = 37;
        double[] logits = gc.randn(rows * vocab, 3);
        int[] targets = {0, 36, 5, -1, 17, 17, -1, 2, 30};
        gc.check("crossEntropy", List.of(GradCheck.Input.of(logits, 3, 3, vocab), GradCheck.Input.ids(targets, 3, 3)),
                xs -> F.crossEntropy(xs.get(0), xs.get(1), -1), r -> new double[] {Ref.crossEntropy(r.get(0), targets, vocab, -1)});
    }

    @Test
    void dropoutMaskIsFixedBySeed() {
        GradCheck gc = new GradCheck(36);
        double[] x = gc.randn(3 * 41, 1);
        float p = 0.3f;
        long seed = 1234;
        gc.check("dropout", List.of(GradCheck.Input.of(x, 3, 41)), xs -> F.dropout(xs.get(0), p, seed), r -> {
            double[] y = new double[x.length];
            for (int i = 0; i < y.length; i++) y[i] = dev.nanolab.api.backend.Dropout.keep(seed, i, p) ? r.get(0)[i] / (1 - p) : 0;
            return y;
        });
    }
}
