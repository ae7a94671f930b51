package dev.nanolab.optimizers;

import static dev.nanolab.optimizers.Fixtures.gradients;
import static dev.nanolab.optimizers.Fixtures.param;
import static dev.nanolab.optimizers.Fixtures.setGrad;
import static dev.nanolab.optimizers.Fixtures.toDouble;
import static dev.nanolab.optimizers.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Muon against modded-nanogpt's algorithm written out in double, its fallback routing, and Newton–Schulz's output. */
class MuonTest {
    static final double A = 3.4445, B = -4.7750, C = 2.0315;
    static CpuBackend be;

    @BeforeAll
    static void start() {
        be = new CpuBackend(2, true);
    }

    @AfterAll
    static void stop() {
        be.close();
    }

    /**
     * Three Muon steps on a tall and a wide hidden matrix, with a bias and the token embedding going to the AdamW
     * fallback, against the reference: matrices by {@link #muonStep}, the rest by AdamW's rule at the fallback's own
     * rate (scheduled alike: step lr × fallback lr / muon lr).
     */
    @ParameterizedTest(name = "nesterov {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void firstThreeStepsMatchTheAlgorithm(boolean nesterov) {
        double mu = 0.95, eps = 1e-7, muonLr = 0.02, adamLr = 0.004, wd = 0.1, mult = 0.5;
        double[] lr = {0.02, 0.015, 0.01};
        float[] gradScale = {0.8f, 0.5f, 1.0f};
        int[][] shapes = {{24, 10}, {10, 24}, {24}, {30, 10}};
        String[] names = {"transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_proj.weight",
                "transformer.h.0.mlp.c_fc.bias", "transformer.wte.weight"};
        Tensor[] p = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            int n = shapes[i].length == 1 ? shapes[i][0] : shapes[i][0] * shapes[i][1];
            p[i] = param(be, names[i], values(n, i + 1, -0.5f, 0.5f), shapes[i]);
        }
        Muon.Config config = new Muon.Config(muonLr, mu, nesterov, 5, eps, 0, new Muon.Config().fallbackNames(), null);
        Optimizer muon = new Muon(config, new AdamW.Factory(new AdamW.Config(adamLr, 0.9, 0.95, 1e-8, 0)), List.of(
                new ParamGroup("decay", List.of(p[0], p[1], p[3]), mult, wd), new ParamGroup("no_decay", List.of(p[2]), 1, 0)));
        assertThat(muon.state().keySet()).containsExactlyInAnyOrder(
                names[0] + ".momentum_buffer", names[1] + ".momentum_buffer",
                names[2] + ".exp_avg", names[2] + ".exp_avg_sq", names[3] + ".exp_avg", names[3] + ".exp_avg_sq");

        double[][] ref = new double[4][];
        for (int i = 0; i < 4; i++) ref[i] = toDouble(p[i].toFloatArray());
        double[][] start = {ref[0].clone(), ref[1].clone()};
        List<Map<String, double[]>> state = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
        HandComputedUpdatesTest.Rule adamw = HandComputedUpdatesTest.AdamWReference.rule(0.9, 0.95, 1e-8);
        for (int t = 1; t <= 3; t++) {
            float s = gradScale[t - 1];
            double[][] g = new double[4][];
            for (int i = 0; i < 4; i++) {
                float[] gi = gradients((int) p[i].size(), 100 * t + i);
                setGrad(p[i], gi);
                g[i] = HandComputedUpdatesTest.scaled(gi, s);
            }
            Tensor scale = TensorScope.outside(() -> Tensor.of(be, new float[] {s}, 1));
            muon.step(new OptimizerStep(t, lr[t - 1], scale));
            for (int i = 0; i < 2; i++)
                muonStep(ref[i], g[i], shapes[i][0], shapes[i][1], lr[t - 1] * mult, wd, mu, nesterov, eps, state.get(i));
            double adamRate = lr[t - 1] * adamLr / muonLr;
            adamw.step(t, adamRate, 0, ref[2], g[2], state.get(2));
            adamw.step(t, adamRate * mult, wd, ref[3], g[3], state.get(3));
            for (int i = 0; i < 4; i++) assertClose(p[i].toFloatArray(), ref[i], 1e-5, names[i] + " after step " + t);
        }
        for (int i = 0; i < 2; i++) assertThat(HandComputedUpdatesTest.maxAbsDiff(ref[i], start[i])).isGreaterThan(1e-3);
    }

    /**
     * One Muon step in double, as modded-nanogpt / muon.py: buf.lerp_(g, 1−μ); u = g.lerp_(buf, μ) (Nesterov) or buf;
     * X = u (transposed if rows &gt; cols) / (‖u‖ + eps); five times A = X·Xᵀ, B = b·A + c·A·A, X = a·X + B·X;
     * transposed back; p = p·(1 − lr·wd) − lr·max(1, rows/cols)^½·X.
     */
    static void muonStep(double[] p, double[] g, int rows, int cols, double lr, double wd, double mu, boolean nesterov,
                         double eps, Map<String, double[]> state) {
        double[] buf = state.computeIfAbsent("buf", k -> new double[p.length]);
        double[][] u = new double[rows][cols];
        for (int i = 0; i < p.length; i++) {
            buf[i] = buf[i] + (1 - mu) * (g[i] - buf[i]);
            u[i / cols][i % cols] = nesterov ? g[i] + mu * (buf[i] - g[i]) : buf[i];
        }
        double[][] o = newtonSchulz(u, 5, eps);
        double scale = Math.sqrt(Math.max(1, (double) rows / cols));
        for (int i = 0; i < p.length; i++) p[i] = p[i] * (1 - lr * wd) - lr * scale * o[i / cols][i % cols];
    }

    /** zeropower_via_newtonschulz5, in double. */
    static double[][] newtonSchulz(double[][] g, int steps, double eps) {
        boolean tall = g.length > g[0].length;
        double[][] x = tall ? transpose(g) : g;
        double norm = 0;
        for (double[] row : x) for (double v : row) norm += v * v;
        x = scale(x, 1 / (Math.sqrt(norm) + eps));
        for (int s = 0; s < steps; s++) {
            double[][] a = matmul(x, transpose(x));
            double[][] b = add(scale(a, B), scale(matmul(a, a), C));
            x = add(scale(x, A), matmul(b, x));
        }
        return tall ? transpose(x) : x;
    }

    /**
     * Newton–Schulz leaves every singular value of a random 64×256 matrix (and of a 256×64 one, the tall path) in
     * [0.6, 1.2]; they come out in about [0.68, 1.14].
     */
    @ParameterizedTest
    @CsvSource({"64, 256", "256, 64"})
    void orthogonalisesARandomMatrix(int rows, int cols) {
        // One Muon step from zero weights with μ = 0, lr = 1 and no decay leaves p = −scale·NS(g/‖g‖).
        Tensor p = param(be, "transformer.h.0.attn.c_proj.weight", new float[rows * cols], rows, cols);
        float[] g = new float[rows * cols];
        dev.nanolab.api.tensor.Rng rng = new dev.nanolab.api.tensor.Rng(7);
        for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextGaussian();
        setGrad(p, g);
        Muon.Config config = new Muon.Config(1, 0, false, 5, 1e-7, 0, List.of(), null);
        new Muon(config, new AdamW.Factory(new AdamW.Config()), List.of(new ParamGroup("all", List.of(p), 1, 0)))
                .step(new OptimizerStep(1, 1, null));
        double scale = Math.sqrt(Math.max(1, (double) rows / cols));
        float[] out = p.toFloatArray();
        double[][] o = new double[rows][cols];
        for (int i = 0; i < out.length; i++) o[i / cols][i % cols] = -out[i] / scale;

        double[] sv = singularValues(o);
        assertThat(sv[sv.length - 1]).as("smallest singular value").isGreaterThanOrEqualTo(0.6);
        assertThat(sv[0]).as("largest singular value").isLessThanOrEqualTo(1.2);
        // Before the iteration every singular value of G/‖G‖ is far below the range (about 1/8 for 64 of similar
        // size), so the range is the iteration's doing, not the normalisation's.
        double[][] in = new double[rows][cols];
        for (int i = 0; i < g.length; i++) in[i / cols][i % cols] = g[i];
        double[] svIn = singularValues(in);
        double frobenius = 0;
        for (double s : svIn) frobenius += s * s;
        assertThat(svIn[0] / Math.sqrt(frobenius)).isLessThan(0.3);
    }

    /** Singular values of M, largest first: square roots of the eigenvalues of the smaller Gram matrix. */
    static double[] singularValues(double[][] m) {
        double[][] x = m.length <= m[0].length ? m : transpose(m);
        double[] eig = JacobiEigen.eigenvalues(matmul(x, transpose(x)));
        double[] s = new double[eig.length];
        for (int i = 0; i < s.length; i++) s[i] = Math.sqrt(Math.max(0, eig[s.length - 1 - i]));
        return s;
    }

    @Test
    void jacobiFindsKnownEigenvalues() {
        // [[2,1],[1,2]] has eigenvalues 1 and 3; diag(5, -1, 0.5) its diagonal.
        assertThat(JacobiEigen.eigenvalues(new double[][] {{2, 1}, {1, 2}})).containsExactly(new double[] {1, 3}, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(JacobiEigen.eigenvalues(new double[][] {{5, 0, 0}, {0, -1, 0}, {0, 0, 0.5}}))
                .containsExactly(new double[] {-1, 0.5, 5}, org.assertj.core.data.Offset.offset(1e-12));
    }

    // ---------------------------------------------------------------- double matrices

    static double[][] matmul(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++)
            for (int l = 0; l < k; l++) {
                double ail = a[i][l];
                for (int j = 0; j < m; j++) c[i][j] += ail * b[l][j];
            }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }

    static double[][] scale(double[][] a, double s) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) c[i][j] = a[i][j] * s;
        return c;
    }

    static double[][] add(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) c[i][j] = a[i][j] + b[i][j];
        return c;
    }

    static void assertClose(float[] actual, double[] expected, double tol, String what) {
        for (int i = 0; i < actual.length; i++)
            assertThat((double) actual[i]).as("%s [%d]", what, i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tol));
    }

    /** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, in double, ascending. */
    static final class JacobiEigen {
        static double[] eigenvalues(double[][] sym) {
            int n = sym.length;
            double[][] a = new double[n][];
            for (int i = 0; i < n; i++) a[i] = sym[i].clone();
            for (int sweep = 0; sweep < 100; sweep++) {
                double off = 0;
                for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
                if (off < 1e-22) break;
                for (int pi = 0; pi < n; pi++)
                    for (int q = pi + 1; q < n; q++) {
                        if (Math.abs(a[pi][q]) < 1e-300) continue;
                        // The rotation that zeroes a[p][q]: tan of its angle from θ = (a_qq − a_pp) / (2 a_pq).
                        double theta = (a[q][q] - a[pi][pi]) / (2 * a[pi][q]);
                        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                        if (theta == 0) t = 1;
                        double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                        for (int k = 0; k < n; k++) {
                            double akp = a[k][pi], akq = a[k][q];
                            a[k][pi] = c * akp - s * akq;
                            a[k][q] = s * akp + c * akq;
                        }
                        for (int k = 0; k < n; k++) {
                            double apk = a[pi][k], aqk = a[q][k];
                            a[pi][k] = c * apk - s * aqk;
                            a[q][k] = s * apk + c * aqk;
                        }
                    }
            }
            double[] eig = new double[n];
            for (int i = 0; i < n; i++) eig[i] = a[i][i];
            java.util.Arrays.sort(eig);
            return eig;
        }
    }
}
