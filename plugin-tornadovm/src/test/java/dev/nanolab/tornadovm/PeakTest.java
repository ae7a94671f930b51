package dev.nanolab.tornadovm;

import static dev.nanolab.api.backend.GemmOperand.of;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The peak MFU is quoted against: measured on the device, cached, above what a real kernel reaches. */
class PeakTest {
    @Test
    void nvidiaSpecificationLanes() {
        assertThat(Peak.nvidiaLanesPerSm("NVIDIA H100 80GB HBM3")).isEqualTo(128);
        assertThat(Peak.nvidiaLanesPerSm("NVIDIA H200")).isEqualTo(128);
        assertThat(Peak.nvidiaLanesPerSm("NVIDIA A100-SXM4-80GB")).isEqualTo(64);
        assertThat(Peak.nvidiaLanesPerSm("NVIDIA GeForce RTX 4090")).isEqualTo(128);
        assertThat(Peak.nvidiaLanesPerSm("pthread-skylake-avx512-AMD EPYC 7B13")).isZero();
    }

    @Test
    void measuredPeakIsCachedAndAboveAMatmul() throws Exception {
        Path cache = Files.createTempDirectory("peak").resolve("peak.properties");
        String old = System.getProperty("nanolab.tornadovm.peakCache");
        System.setProperty("nanolab.tornadovm.peakCache", cache.toString());
        try (TornadoBackend be = TornadoBackend.forTests(false)) {
            double peak = be.peakFlops();
            assertThat(peak).isFinite().isGreaterThan(1e8);
            assertThat(be.peakFlopsSource()).contains("measured FMA peak");
            assertThat(Files.readString(cache)).contains("=");
            // A matmul, the densest kernel, stays below the peak: MFU cannot pass 100%.
            int n = 256;
            Storage a = be.memory().allocate(DType.F32, n * n), b = be.memory().allocate(DType.F32, n * n), c = be.memory().allocate(DType.F32, n * n);
            be.memory().fill(a, 0, n * n, 0.5f);
            be.memory().fill(b, 0, n * n, 0.25f);
            double best = 0;
            float[] one = new float[1];
            for (int i = 0; i < 4; i++) {
                long t0 = System.nanoTime();
                be.gemm().matmul(1, n, n, n, 1f, of(a, 0), of(b, 0), of(c, 0), false);
                be.memory().read(c, 0, one, 0, 1);
                best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9));
            }
            assertThat(one[0]).isEqualTo(0.5f * 0.25f * n);
            assertThat(best).as("matmul FLOP/s against the peak %s", be.peakFlopsSource()).isLessThan(peak);
        }
        // A second backend reads the cached figure instead of measuring.
        try (TornadoBackend be = TornadoBackend.forTests(false)) {
            be.peakFlops();
            assertThat(be.peakFlopsSource()).contains("cached in " + cache);
        } finally {
            if (old == null) System.clearProperty("nanolab.tornadovm.peakCache");
            else System.setProperty("nanolab.tornadovm.peakCache", old);
        }
    }
}
