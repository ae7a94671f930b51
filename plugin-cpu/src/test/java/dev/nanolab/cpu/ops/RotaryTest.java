package dev.nanolab.cpu.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.RotaryTable;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rotary position embedding against the rotation written out in double, and its backward by finite differences. */
class RotaryTest {
    /** y_j = x_j cos + x_{j+D/2} sin, y_{j+D/2} = −x_j sin + x_{j+D/2} cos, angle (offset + t)·ω_j. */
    static double[] reference(double[] x, int B, int T, int H, int D, int offset, double[] omega) {
        double[] y = new double[x.length];
        int half = D / 2;
        for (int r = 0; r < B * T; r++) {
            int pos = offset + r % T;
            for (int h = 0; h < H; h++)
                for (int j = 0; j < half; j++) {
                    int a = r * H * D + h * D + j, b = a + half;
                    double c = Math.cos(pos * omega[j]), s = Math.sin(pos * omega[j]);
                    y[a] = x[a] * c + x[b] * s;
                    y[b] = -x[a] * s + x[b] * c;
                }
        }
        return y;
    }

    static double[] standardOmegas(int D, double base) {
        double[] w = new double[D / 2];
        for (int j = 0; j < w.length; j++) w[j] = Math.pow(base, -(double) j / w.length);
        return w;
    }

    @Test
    void finiteDifferencesWithAPositionOffsetOnOddShapes() {
        GradCheck gc = new GradCheck(21);
        int B = 2, T = 5, H = 3, D = 6, offset = 7;
        double[] x = gc.randn(B * T * H * D, 1);
        double[] omega = standardOmegas(D, 100);
        gc.check("rope", List.of(GradCheck.Input.of(x, B, T, H * D)),
                xs -> F.rope(xs.get(0), H, RotaryTable.standard(xs.get(0).backend(), D, 32, 100), offset),
                r -> reference(r.get(0), B, T, H, D, offset, omega));
    }

    @Test
    void halfTruncatedRotatesAQuarterOfTheChannelPairsLeavesTheRest() {
        int D = 16;
        try (var be = new CpuBackend(1, true); var scope = TensorScope.open()) {
            RotaryTable t = RotaryTable.halfTruncated(be, D, 8, 1024);
            float[] cos = t.cos().toFloatArray(), sin = t.sin().toFloatArray();
            // modded-nanogpt: (1/1024) ** linspace(0, 1, D/4), then D/4 zeros.
            for (int j = 0; j < D / 4; j++)
                assertThat((double) cos[3 * (D / 2) + j]).isCloseTo(Math.cos(3 * Math.pow(1 / 1024.0, j / 3.0)), within(1e-6));
            for (int j = D / 4; j < D / 2; j++) {
                assertThat(cos[5 * (D / 2) + j]).isEqualTo(1f);
                assertThat(sin[5 * (D / 2) + j]).isEqualTo(0f);
            }
            Tensor x = Tensor.randn(be, new Rng(2), 1f, 1, 4, 2 * D);
            float[] in = x.toFloatArray(), out = F.rope(x, 2, t, 0).toFloatArray();
            for (int r = 0; r < 4; r++)
                for (int h = 0; h < 2; h++)
                    for (int j = D / 4; j < D / 2; j++) {
                        int a = r * 2 * D + h * D + j;
                        assertThat(out[a]).isEqualTo(in[a]);
                        assertThat(out[a + D / 2]).isEqualTo(in[a + D / 2]);
                    }
        }
    }

    @Test
    void positionsBeyondTheTableAreRefused() {
        try (var be = new CpuBackend(1, true); var scope = TensorScope.open()) {
            RotaryTable t = RotaryTable.standard(be, 4, 8, 10000);
            Tensor x = Tensor.zeros(be, 1, 4, 8);
            assertThatThrownBy(() -> F.rope(x, 2, t, 5)).hasMessageContaining("exceed the table's 8");
        }
    }
}
