package dev.nanolab.tornadovm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.backend.BinaryOp;
import dev.nanolab.api.backend.CapturedStep;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.UnaryOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How captured steps behave: segments split at host interactions, fall back when calls change, and list devices. */
class CaptureTest {
    /** x ← tanh(2x + step) element by element, with a read and a write inside the step. */
    private static float[] reference(float[] x0, int steps, int extraAt) {
        float[] x = x0.clone();
        for (int s = 1; s <= steps; s++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.tanh(2f * x[i] + s);
                if (s == extraAt) x[i] = x[i] * x[i];
            }
        }
        return x;
    }

    /**
     * The background compile: steps keep running eagerly (and exactly) while the segment compiles on another thread;
     * the first step that starts after the compile finished installs it, and later steps replay it.
     */
    @Test
    void segmentsCompileInTheBackgroundWhileStepsRunEagerly() {
        int n = 1000;
        float[] x0 = new float[n];
        for (int i = 0; i < n; i++) x0[i] = (float) Math.cos(i);
        try (TornadoBackend be = TornadoBackend.forTests(true)) {
            be.engine().backgroundCompile = true;
            be.engine().quiet = true;
            Storage x = be.memory().allocate(DType.F32, n), t = be.memory().allocate(DType.F32, n);
            Storage step = be.memory().allocate(DType.F32, n);
            be.memory().write(x, 0, x0, 0, n);
            int[] stepNo = {0};
            CapturedStep run = be.capture(() -> {
                float[] s = new float[n];
                java.util.Arrays.fill(s, stepNo[0]);
                be.memory().write(step, 0, s, 0, n);
                be.pointwise().unary(UnaryOp.SCALE, 2f, 0, x, 0, t, 0, n);
                be.pointwise().binary(BinaryOp.ADD, t, 0, new int[] {1}, step, 0, new int[] {1}, x, 0, new int[] {n});
                be.pointwise().unary(UnaryOp.TANH, 0, 0, x, 0, x, 0, n);
            });
            int s = 0, whileCompiling = 0;
            long deadline = System.nanoTime() + 600_000_000_000L;
            do {
                stepNo[0] = ++s;
                run.run();
                if (be.engine().compiling()) whileCompiling++;
            } while ((s < 2 || be.engine().compiling()) && System.nanoTime() < deadline);
            assertThat(be.engine().compiling()).as("the background compile finished within 10 minutes").isFalse();
            for (int k = 0; k < 3; k++) {
                stepNo[0] = ++s;
                run.run();
            }
            float[] got = new float[n];
            be.memory().read(x, 0, got, 0, n);
            float[] want = reference(x0, s, -1);
            for (int i = 0; i < n; i++) assertThat(got[i]).as("x[%d] after %d steps", i, s).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(be.engine().compiledInBackground).isEqualTo(1);
            assertThat(be.capturedSegments()).isEqualTo(1);
            // The compile started after step 2; the install happens at the start of a later step, which replays it.
            assertThat(be.engine().segmentRuns).isGreaterThanOrEqualTo(3);
            System.out.println("background compile: " + be.engine().lastCompileMillis + " ms, " + whileCompiling
                    + " steps ran eagerly meanwhile; " + be.stats());
        }
    }

    @Test
    void segmentsSplitAtReadsAndWritesAndFallBackWhenTheCallsChange() {
        int n = 1000, steps = 8, extraAt = 6;
        float[] x0 = new float[n];
        for (int i = 0; i < n; i++) x0[i] = (float) Math.sin(i);
        try (TornadoBackend be = TornadoBackend.forTests(true)) {
            Storage x = be.memory().allocate(DType.F32, n), t = be.memory().allocate(DType.F32, n);
            Storage step = be.memory().allocate(DType.F32, n);
            be.memory().write(x, 0, x0, 0, n);
            int[] stepNo = {0};
            float[] seen = new float[1];
            CapturedStep run = be.capture(() -> {
                be.pointwise().unary(UnaryOp.SCALE, 2f, 0, x, 0, t, 0, n);
                be.memory().read(t, 0, seen, 0, 1); // a read inside the step: a segment boundary
                float[] s = new float[n];
                java.util.Arrays.fill(s, stepNo[0]);
                be.memory().write(step, 0, s, 0, n); // a write inside the step: another boundary
                be.pointwise().binary(BinaryOp.ADD, t, 0, new int[] {1}, step, 0, new int[] {1}, x, 0, new int[] {n});
                be.pointwise().unary(UnaryOp.TANH, 0, 0, x, 0, x, 0, n);
                if (stepNo[0] == extraAt) be.pointwise().unary(UnaryOp.SQUARE, 0, 0, x, 0, x, 0, n);
                be.pointwise().unary(UnaryOp.SCALE, 1f, 0, x, 0, t, 0, n);
            });
            for (int s = 1; s <= steps; s++) {
                stepNo[0] = s;
                run.run();
            }
            float[] got = new float[n];
            be.memory().read(x, 0, got, 0, n);
            float[] want = reference(x0, steps, extraAt);
            for (int i = 0; i < n; i++) assertThat(got[i]).as("x[%d]", i).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5f));
            // One segment after the write (3 calls); the SCALE before the read is a single call and runs eagerly.
            assertThat(be.capturedSegments()).isEqualTo(1);
            // Steps 3-8 replay it, except step 6, whose extra call makes a different sequence that runs eagerly.
            assertThat(be.capturedCalls()).isEqualTo(5 * 3L);
        }
    }

    @Test
    void aFailingStepLeavesTheBackendUsable() {
        try (TornadoBackend be = TornadoBackend.forTests(false)) {
            Storage x = be.memory().allocate(DType.F32, 10);
            be.memory().fill(x, 0, 10, 1f);
            CapturedStep bad = be.capture(() -> {
                be.pointwise().unary(UnaryOp.SCALE, 3f, 0, x, 0, x, 0, 10);
                throw new IllegalStateException("boom");
            });
            assertThatThrownBy(bad::run).hasMessage("boom");
            float[] v = new float[10];
            be.memory().read(x, 0, v, 0, 10);
            assertThat(v).containsOnly(3f);
            assertThatThrownBy(() -> be.memory().allocate(DType.F32, 1L << 40)).hasMessageContaining("memoryMiB");
        }
    }

    @Test
    void devicesAreListedAndSelectedByBackendAndDevice() {
        List<String> devices = new TornadoBackendFactory(new TornadoBackendFactory.Config()).devices();
        assertThat(devices).isNotEmpty().allMatch(d -> d.startsWith("tornadovm "));
        assertThat(devices.get(0)).startsWith("tornadovm 0:0 ");
        assertThatThrownBy(() -> new TornadoBackend("7:0", 1, 1, true, false)).hasMessageContaining("no backend 7");
        assertThatThrownBy(() -> new TornadoBackend("zero", 1, 1, true, false)).hasMessageContaining("backend:device");
    }
}
