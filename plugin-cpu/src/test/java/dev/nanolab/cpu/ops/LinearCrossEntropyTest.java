package dev.nanolab.cpu.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.backend.ext.LinearCrossEntropyKernels;
import dev.nanolab.api.backend.ext.LinearCrossEntropyKernels.Head;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.cpu.kernels.LinearCrossEntropy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The LM head fused with its cross-entropy in row blocks ({@link LinearCrossEntropy}): the kernel against
 * double-precision finite differences of the loss with blocks of a few rows (a ragged last block, ignored targets,
 * both softcaps), the same bits for one and two threads; and {@code F.linearCrossEntropy} on the CPU backend against
 * the composition it replaces ({@code F.linear} then {@code F.crossEntropy}), incoming gradients and accumulation
 * included.
 */
class LinearCrossEntropyTest {
    private static final LogitSoftcap[] CAPS = {null, new LogitSoftcap(LogitSoftcap.Kind.TANH, 2f),
            new LogitSoftcap(LogitSoftcap.Kind.SIGMOID, 3f), new LogitSoftcap(LogitSoftcap.Kind.SIGMOID, 60f)};

    @Test
    void gradientsMatchDoublePrecisionFiniteDifferences() {
        // 23 rows in blocks of 7 (7, 7, 7, 2); 37 classes: two 16-lane vectors and a tail.
        int rows = 23, c = 7, vocab = 37;
        Rng rng = new Rng(5);
        float[] x = randn(rng, rows * c, 1.5), w = randn(rng, vocab * c, 1.5);
        int[] targets = targets(rng, rows, vocab, 6, 2);
        for (LogitSoftcap cap : CAPS) {
            Result one = run(1, x, w, targets, new Head(rows, c, vocab, -1, cap), 5 * vocab);
            Result two = run(2, x, w, targets, new Head(rows, c, vocab, -1, cap), 5 * vocab);
            assertThat(one.blockRows).as("blocks of the channel count").isEqualTo(7);
            assertThat(two.loss).as("%s: the loss for 1 and 2 threads", cap).isEqualTo(one.loss);
            assertThat(two.dx).as("%s: dx for 1 and 2 threads", cap).containsExactly(one.dx);
            assertThat(two.dw).as("%s: dW for 1 and 2 threads", cap).containsExactly(one.dw);

            double[] xd = toDouble(x), wd = toDouble(w);
            double reference = loss(xd, wd, targets, c, vocab, cap);
            assertThat((double) one.loss).as("%s: loss", cap).isCloseTo(reference, offset(1e-5 * Math.abs(reference)));
            double h = 1e-6;
            for (int i = 0; i < xd.length; i++) {
                double fd = centralDifference(xd, i, h, () -> loss(xd, wd, targets, c, vocab, cap));
                assertThat((double) one.dx[i]).as("%s: dx[%d]", cap, i).isCloseTo(fd, offset(1e-4 + 5e-3 * Math.abs(fd)));
            }
            for (int i = 0; i < wd.length; i++) {
                double fd = centralDifference(wd, i, h, () -> loss(xd, wd, targets, c, vocab, cap));
                assertThat((double) one.dw[i]).as("%s: dW[%d]", cap, i).isCloseTo(fd, offset(1e-4 + 5e-3 * Math.abs(fd)));
            }
        }
    }

    @Test
    void everyTargetIgnoredGivesZeroLossAndGradients() {
        int rows = 9, c = 4, vocab = 19;
        Rng rng = new Rng(9);
        int[] targets = new int[rows];
        Arrays.fill(targets, -1);
        Result r = run(2, randn(rng, rows * c, 1), randn(rng, vocab * c, 1), targets, new Head(rows, c, vocab, -1, null), 2 * vocab);
        assertThat(r.loss).isZero();
        for (float g : r.dx) assertThat(g).isZero();
        for (float g : r.dw) assertThat(g).isZero();
    }

    @Test
    void fusedEqualsTheCompositionThroughF() {
        // More rows than the default block (8209 classes: blocks of 1022 rows), so F takes the fused path.
        int rows = 1100, c = 48, vocab = 8209;
        Rng rng = new Rng(7);
        float[] x = randn(rng, rows * c, 1), w = randn(rng, vocab * c, 0.3);
        int[] targets = targets(rng, rows, vocab, 13, 5);
        try (Backend be = new CpuBackend(2, true); TensorScope scope = TensorScope.open()) {
            var kernels = be.extension(LinearCrossEntropyKernels.class);
            assertThat(kernels).as("the CPU backend offers the fused head").isPresent();
            assertThat(kernels.get().blockRows(c, vocab)).as("the logits span two blocks").isLessThan(rows);
            Tensor t = Tensor.ofInts(be, targets, 2, rows / 2);
            for (LogitSoftcap cap : new LogitSoftcap[] {null, new LogitSoftcap(LogitSoftcap.Kind.SIGMOID, 30f)}) {
                // W serves two heads, the first weighted by 0.5: an incoming gradient other than 1, and a second
                // backward that adds to W's gradient instead of writing it.
                Tensor fx = Tensor.of(be, x, 2, rows / 2, c).requiresGrad(true), fw = Tensor.of(be, w, vocab, c).requiresGrad(true);
                Tensor first = F.linearCrossEntropy(fx, fw, t, -1, cap);
                Tensor fused = first.mul(0.5f).add(F.linearCrossEntropy(fx.mul(2f), fw, t, -1, cap));
                fused.backward();
                Tensor ux = Tensor.of(be, x, 2, rows / 2, c).requiresGrad(true), uw = Tensor.of(be, w, vocab, c).requiresGrad(true);
                Tensor composed = F.crossEntropy(F.linear(ux, uw, null), t, -1, cap).mul(0.5f)
                        .add(F.crossEntropy(F.linear(ux.mul(2f), uw, null), t, -1, cap));
                composed.backward();
                assertThat(fused.item()).as("%s loss", cap).isCloseTo(composed.item(), offset(2e-6f * Math.abs(composed.item())));
                assertClose(cap + " dx", fx.grad().toFloatArray(), ux.grad().toFloatArray(), 1e-4f);
                assertClose(cap + " dW", fw.grad().toFloatArray(), uw.grad().toFloatArray(), 1e-4f);
                try (GradMode.Scope ignored = GradMode.disabled()) {
                    // Without gradients the blocks skip their backward half; the loss keeps its bits.
                    assertThat(F.linearCrossEntropy(fx, fw, t, -1, cap).item()).as("%s loss without gradients", cap)
                            .isEqualTo(first.item());
                }
            }
        }
    }

    private record Result(float loss, float[] dx, float[] dw, int blockRows) {}

    private static Result run(int threads, float[] x, float[] w, int[] targets, Head head, long minBlockLogits) {
        try (CpuBackend be = new CpuBackend(threads, true); TensorScope scope = TensorScope.open()) {
            LinearCrossEntropy kernel = new LinearCrossEntropy(be.pool(), minBlockLogits);
            Tensor tx = Tensor.of(be, x, head.rows(), head.channels()), tw = Tensor.of(be, w, head.vocab(), head.channels());
            Tensor tt = Tensor.ofInts(be, targets, head.rows());
            Tensor loss = Tensor.empty(be, dev.nanolab.api.tensor.Shape.of(1));
            Tensor dx = Tensor.empty(be, tx.shape()), dw = Tensor.empty(be, tw.shape());
            kernel.lossAndGradients(tx.storage(), tw.storage(), tt.storage(), loss.storage(), dx.storage(), dw.storage(), head);
            return new Result(loss.item(), dx.toFloatArray(), dw.toFloatArray(), kernel.blockRows(head.channels(), head.vocab()));
        }
    }

    /** mean CE(softcap(x·Wᵀ)) over counted rows, in double. */
    private static double loss(double[] x, double[] w, int[] targets, int c, int vocab, LogitSoftcap cap) {
        int rows = targets.length;
        double[] z = new double[rows * vocab];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < vocab; j++) {
                double s = 0;
                for (int k = 0; k < c; k++) s += x[r * c + k] * w[j * c + k];
                z[r * vocab + j] = cap == null ? s : cap.apply(s);
            }
        return Ref.crossEntropy(z, targets, vocab, -1);
    }

    private static double centralDifference(double[] v, int i, double h, java.util.function.DoubleSupplier f) {
        double keep = v[i];
        v[i] = keep + h;
        double up = f.getAsDouble();
        v[i] = keep - h;
        double down = f.getAsDouble();
        v[i] = keep;
        return (up - down) / (2 * h);
    }

    private static void assertClose(String what, float[] actual, float[] expected, float relativeToLargest) {
        float largest = 0;
        for (float v : expected) largest = Math.max(largest, Math.abs(v));
        for (int i = 0; i < actual.length; i++)
            assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], offset(relativeToLargest * largest));
    }

    /** Random targets in [0, vocab), with every {@code every}-th row from {@code at} ignored (-1). */
    private static int[] targets(Rng rng, int rows, int vocab, int every, int at) {
        int[] t = new int[rows];
        for (int r = 0; r < rows; r++) t[r] = r % every == at ? -1 : rng.nextInt(vocab);
        return t;
    }

    private static float[] randn(Rng rng, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextGaussian() * scale);
        return v;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
