package dev.nanolab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.models.mlp.BatchNorm1d;
import dev.nanolab.models.mlp.BengioMlp;
import dev.nanolab.models.mlp.MlpConfig;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Batch norm's three modes (training, eval, PreciseBN recalibration), and the mlp's recalibrate hook. */
class BatchNormTest {
    static float[] randn(Rng rng, int n, double mean, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (mean + std * rng.nextGaussian());
        return v;
    }

    /** Per-channel mean and unbiased variance of rows (N, C), in double. */
    static double[][] stats(float[] x, int c) {
        int n = x.length / c;
        double[][] out = new double[2][c];
        for (int j = 0; j < c; j++) {
            double m = 0, v = 0;
            for (int r = 0; r < n; r++) m += x[r * c + j];
            m /= n;
            for (int r = 0; r < n; r++) v += (x[r * c + j] - m) * (x[r * c + j] - m);
            out[0][j] = m;
            out[1][j] = v / (n - 1);
        }
        return out;
    }

    @Test
    void trainingNormalisesByTheBatchAndMovesTheRunningStatisticsEvalUsesThem() {
        int n = 50, c = 3;
        try (CpuBackend be = new CpuBackend(2, false); TensorScope s = TensorScope.open()) {
            BatchNorm1d bn = new BatchNorm1d(be, c);
            float[] x = randn(new Rng(1), n * c, 4, 3);
            float[] y = bn.forward(Tensor.of(be, x, n, c)).toFloatArray();
            double[][] ys = stats(y, c), xs = stats(x, c);
            for (int j = 0; j < c; j++) {
                assertThat(ys[0][j]).as("mean of channel %d", j).isCloseTo(0, Offset.offset(1e-5));
                assertThat(ys[1][j] * (n - 1) / n).as("biased variance of channel %d", j).isCloseTo(1, Offset.offset(1e-3));
                // PyTorch: running = 0.9·running + 0.1·batch, with the unbiased variance.
                assertThat((double) bn.runningMean().toFloatArray()[j]).isCloseTo(0.1 * xs[0][j], Offset.offset(1e-5));
                assertThat((double) bn.runningVar().toFloatArray()[j]).isCloseTo(0.9 + 0.1 * xs[1][j], Offset.offset(1e-4));
            }
            bn.eval();
            float[] one = {1f, 2f, 3f};
            float[] rm = bn.runningMean().toFloatArray(), rv = bn.runningVar().toFloatArray();
            float[] out = bn.forward(Tensor.of(be, one, 1, c)).toFloatArray();
            for (int j = 0; j < c; j++)
                assertThat(out[j]).as("eval: (x − running mean) / √(running var + eps)").isCloseTo((float) ((one[j] - rm[j]) / Math.sqrt(rv[j] + 1e-5)), Offset.offset(1e-5f));
            assertThat(bn.runningMean().toFloatArray()).as("eval leaves the statistics alone").containsExactly(rm);
            assertThat(bn.runningVar().toFloatArray()).as("eval leaves the statistics alone").containsExactly(rv);
            bn.train();
            assertThatThrownBy(() -> bn.forward(Tensor.of(be, one, 1, c))).hasMessageContaining("more than one row");
        }
    }

    @Test
    void recalibrationSetsThePooledStatisticsOfEveryRowSeen() {
        int c = 4;
        try (CpuBackend be = new CpuBackend(2, false); TensorScope s = TensorScope.open(); GradMode.Scope ng = GradMode.disabled()) {
            BatchNorm1d bn = new BatchNorm1d(be, c);
            Rng rng = new Rng(2);
            // Batches that disagree (different means): the pooled variance includes the spread of their means.
            float[] a = randn(rng, 30 * c, -2, 1), b = randn(rng, 30 * c, 3, 2), both = new float[a.length + b.length];
            System.arraycopy(a, 0, both, 0, a.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            bn.eval();
            bn.startRecalibration();
            float[] ya = bn.forward(Tensor.of(be, a, 30, c)).toFloatArray();
            bn.forward(Tensor.of(be, b, 30, c));
            bn.finishRecalibration();
            assertThat(stats(ya, c)[0][0]).as("recalibrating normalises by batch statistics").isCloseTo(0, Offset.offset(1e-5));
            double[][] want = stats(both, c);
            for (int j = 0; j < c; j++) {
                assertThat((double) bn.runningMean().toFloatArray()[j]).isCloseTo(want[0][j], Offset.offset(1e-5));
                assertThat((double) bn.runningVar().toFloatArray()[j]).isCloseTo(want[1][j], Offset.offset(1e-4 * want[1][j]));
            }
            // Back to eval: the new statistics, and nothing accumulates any more.
            float[] rm = bn.runningMean().toFloatArray();
            bn.forward(Tensor.of(be, a, 30, c));
            assertThat(bn.runningMean().toFloatArray()).containsExactly(rm);
        }
    }

    @Test
    void mlpRecalibrateDrawsItsBatchesAndMakesEvalAgreeWithTraining() {
        int vocab = 10, b = 8, t = 12;
        try (CpuBackend be = new CpuBackend(2, false); TensorScope s = TensorScope.open(); GradMode.Scope ng = GradMode.disabled()) {
            BengioMlp mlp = new BengioMlp(new MlpConfig(4, 4, 16, 2, true, 3), ArchitectureBehaviourTest.context(be, vocab, 1));
            Rng rng = new Rng(3);
            int[] ids = new int[b * t];
            for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(vocab);
            Tensor x = Tensor.ofInts(be, ids, b, t);
            float[] train = mlp.logits(x).toFloatArray(); // training mode: batch statistics
            mlp.eval();
            float[] before = mlp.logits(x).toFloatArray();
            int[] calls = {0};
            mlp.recalibrate(() -> {
                calls[0]++;
                return x;
            });
            assertThat(calls[0]).as("precise_bn_batches").isEqualTo(3);
            assertThat(mlp.isTraining()).isFalse();
            float[] after = mlp.logits(x).toFloatArray();
            double errBefore = 0, errAfter = 0;
            for (int i = 0; i < train.length; i++) {
                errBefore = Math.max(errBefore, Math.abs(before[i] - train[i]));
                errAfter = Math.max(errAfter, Math.abs(after[i] - train[i]));
            }
            // The same batch three times: the pooled statistics are that batch's (up to the unbiased variance's n/(n−1)).
            assertThat(errAfter).isLessThan(2e-3).isLessThan(errBefore / 10);
            BengioMlp plain = new BengioMlp(new MlpConfig(4, 4, 16, 2, false, 3), ArchitectureBehaviourTest.context(be, vocab, 1));
            plain.recalibrate(() -> {
                throw new AssertionError("no batch norm: nothing to recalibrate");
            });
        }
    }
}
