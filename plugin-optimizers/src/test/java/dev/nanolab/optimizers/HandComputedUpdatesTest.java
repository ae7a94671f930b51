package dev.nanolab.optimizers;

import static dev.nanolab.optimizers.Fixtures.gradients;
import static dev.nanolab.optimizers.Fixtures.param;
import static dev.nanolab.optimizers.Fixtures.setGrad;
import static dev.nanolab.optimizers.Fixtures.toDouble;
import static dev.nanolab.optimizers.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The first three updates of every optimizer against the published update rule, computed here in double, line by
 * line from the paper or the PyTorch documentation, independently of the kernels.
 *
 * <p>Each case updates two groups (a decaying one with lr multiplier 0.5 and weight decay 0.1, and one with neither)
 * under a learning rate that changes each step and a gradient scale that changes each step, so a kernel that ignores
 * the multiplier, the decay, the rate or the scale is off by far more than the tolerance. Sizes 37 (vector lanes and a
 * scalar tail, serial) and 70,001 (split across threads) cover both code paths.
 */
class HandComputedUpdatesTest {
    /** The scheduled base rate at steps 1, 2, 3, and the clipping factor applied to every gradient. */
    static final double[] LR = {0.05, 0.04, 0.03};
    static final float[] GRAD_SCALE = {0.8f, 0.5f, 1.0f};
    static final double DECAY_MULT = 0.5, DECAY_WD = 0.1;
    /** Float kernels against double references: a few ulps of values of order 1, after three steps. */
    static final double TOL = 2e-6;

    static Backend be;

    @BeforeAll
    static void start() {
        be = new CpuBackend(2, true);
    }

    @AfterAll
    static void stop() {
        be.close();
    }

    /** One step of the reference rule on one parameter, in place; {@code state} starts empty (torch's zeros). */
    @FunctionalInterface
    interface Rule {
        void step(int t, double lr, double wd, double[] p, double[] g, Map<String, double[]> state);
    }

    static double[] slot(Map<String, double[]> state, String name, int n) {
        return state.computeIfAbsent(name, k -> new double[n]);
    }

    // ---------------------------------------------------------------- the rules

    @ParameterizedTest
    @ValueSource(ints = {37, 70_001})
    void sgdWithNesterovMomentum(int n) {
        double mu = 0.9;
        check(gs -> new Sgd(new Sgd.Config(0.1, mu, 0, true, 0), gs), n, (t, lr, wd, p, g, st) -> {
            // torch.optim.SGD: d = g + wd·p; buf = d at t=1 else μ·buf + d; d = d + μ·buf; p −= lr·d
            double[] buf = slot(st, "buf", p.length);
            for (int i = 0; i < p.length; i++) {
                double d = g[i] + wd * p[i];
                buf[i] = t == 1 ? d : mu * buf[i] + d;
                p[i] -= lr * (d + mu * buf[i]);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {37, 70_001})
    void sgdWithDampenedMomentum(int n) {
        double mu = 0.8, dampening = 0.3;
        check(gs -> new Sgd(new Sgd.Config(0.1, mu, dampening, false, 0), gs), n, (t, lr, wd, p, g, st) -> {
            // buf = d at t=1 else μ·buf + (1−dampening)·d; p −= lr·buf
            double[] buf = slot(st, "buf", p.length);
            for (int i = 0; i < p.length; i++) {
                double d = g[i] + wd * p[i];
                buf[i] = t == 1 ? d : mu * buf[i] + (1 - dampening) * d;
                p[i] -= lr * buf[i];
            }
        });
    }

    @Test
    void plainSgdKeepsNoState() {
        Optimizer opt = check(gs -> new Sgd(new Sgd.Config(0.1, 0, 0, false, 0), gs), 37, (t, lr, wd, p, g, st) -> {
            // p −= lr·(g + wd·p)
            for (int i = 0; i < p.length; i++) p[i] -= lr * (g[i] + wd * p[i]);
        });
        assertThat(opt.state()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {37, 70_001})
    void rmsprop(int n) {
        double alpha = 0.9, eps = 1e-8;
        check(gs -> new RmsProp(new RmsProp.Config(0.1, alpha, eps, 0, false, 0), gs), n, (t, lr, wd, p, g, st) -> {
            // torch.optim.RMSprop: d = g + wd·p; sq = α·sq + (1−α)·d²; p −= lr·d/(√sq + eps)
            double[] sq = slot(st, "sq", p.length);
            for (int i = 0; i < p.length; i++) {
                double d = g[i] + wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * d * d;
                p[i] -= lr * d / (Math.sqrt(sq[i]) + eps);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {37, 70_001})
    void rmspropCenteredWithMomentum(int n) {
        double alpha = 0.9, eps = 1e-8, mu = 0.5;
        check(gs -> new RmsProp(new RmsProp.Config(0.1, alpha, eps, mu, true, 0), gs), n, (t, lr, wd, p, g, st) -> {
            // ga = α·ga + (1−α)·d; den = √(sq − ga²) + eps; buf = μ·buf + d/den; p −= lr·buf
            double[] sq = slot(st, "sq", p.length), ga = slot(st, "ga", p.length), buf = slot(st, "buf", p.length);
            for (int i = 0; i < p.length; i++) {
                double d = g[i] + wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * d * d;
                ga[i] = alpha * ga[i] + (1 - alpha) * d;
                buf[i] = mu * buf[i] + d / (Math.sqrt(sq[i] - ga[i] * ga[i]) + eps);
                p[i] -= lr * buf[i];
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {37, 70_001})
    void adam(int n) {
        double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        check(gs -> new Adam(new Adam.Config(0.1, b1, b2, eps, 0), gs), n, (t, lr, wd, p, g, st) -> {
            // Kingma & Ba with L2 (torch.optim.Adam): d = g + wd·p; m = β1·m + (1−β1)·d; v = β2·v + (1−β2)·d²;
            // p −= lr · (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + eps)
            double[] m = slot(st, "m", p.length), v = slot(st, "v", p.length);
            for (int i = 0; i < p.length; i++) {
                double d = g[i] + wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * d;
                v[i] = b2 * v[i] + (1 - b2) * d * d;
                double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {37, 70_001})
    void adamw(int n) {
        double b1 = 0.9, b2 = 0.95, eps = 1e-8;
        check(gs -> new AdamW(new AdamW.Config(0.1, b1, b2, eps, 0.1), gs), n, AdamWReference.rule(b1, b2, eps));
    }

    @ParameterizedTest
    @ValueSource(ints = {37, 70_001})
    void lion(int n) {
        double b1 = 0.9, b2 = 0.99;
        check(gs -> new Lion(new Lion.Config(1e-4, b1, b2, 1.0), gs), n, (t, lr, wd, p, g, st) -> {
            // Chen et al. 2023, Algorithm 2: c = β1·m + (1−β1)·g; p = p − lr·(sign(c) + wd·p); m = β2·m + (1−β2)·g
            double[] m = slot(st, "m", p.length);
            for (int i = 0; i < p.length; i++) {
                double c = b1 * m[i] + (1 - b1) * g[i];
                p[i] -= lr * (Math.signum(c) + wd * p[i]);
                m[i] = b2 * m[i] + (1 - b2) * g[i];
            }
        });
    }

    // ---------------------------------------------------------------- the harness

    /**
     * Runs three steps of the optimizer on a decaying group (lr ×0.5, wd 0.1) and a non-decaying one, and after each
     * compares every value with the rule applied in double. Returns the optimizer.
     */
    static Optimizer check(Function<List<ParamGroup>, Optimizer> make, int n, Rule rule) {
        int nb = n / 3 + 1;
        Tensor w = param(be, "layer.weight", values(n, 1, -1, 1), n);
        Tensor b = param(be, "layer.bias", values(nb, 2, -1, 1), nb);
        Optimizer opt = make.apply(List.of(new ParamGroup("decay", List.of(w), DECAY_MULT, DECAY_WD),
                new ParamGroup("no_decay", List.of(b), 1.0, 0)));
        double[] pw = toDouble(w.toFloatArray()), pb = toDouble(b.toFloatArray());
        double[] start = pw.clone();
        Map<String, double[]> stateW = new HashMap<>(), stateB = new HashMap<>();
        for (int t = 1; t <= 3; t++) {
            float[] gw = gradients(n, 10 + t), gb = gradients(nb, 20 + t);
            setGrad(w, gw);
            setGrad(b, gb);
            float scale = GRAD_SCALE[t - 1];
            Tensor gradScale = TensorScope.outside(() -> Tensor.of(be, new float[] {scale}, 1));
            opt.step(new OptimizerStep(t, LR[t - 1], gradScale));
            rule.step(t, LR[t - 1] * DECAY_MULT, DECAY_WD, pw, scaled(gw, scale), stateW);
            rule.step(t, LR[t - 1], 0, pb, scaled(gb, scale), stateB);
            assertClose(w.toFloatArray(), pw, "weight after step " + t);
            assertClose(b.toFloatArray(), pb, "bias after step " + t);
        }
        // The comparison means something only if the parameters moved by far more than the tolerance.
        assertThat(maxAbsDiff(pw, start)).isGreaterThan(1000 * TOL);
        return opt;
    }

    static double[] scaled(float[] g, float scale) {
        double[] d = new double[g.length];
        for (int i = 0; i < g.length; i++) d[i] = (double) g[i] * scale;
        return d;
    }

    static void assertClose(float[] actual, double[] expected, String what) {
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        assertThat(worst).as("%s: worst relative error at %d (got %s, expected %s)", what, at,
                at < 0 ? "" : actual[at], at < 0 ? "" : expected[at]).isLessThanOrEqualTo(TOL);
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** AdamW's rule, shared with the Muon test (its fallback). */
    static final class AdamWReference {
        static Rule rule(double b1, double b2, double eps) {
            return (t, lr, wd, p, g, st) -> {
                // Loshchilov & Hutter (torch.optim.AdamW): p = p·(1 − lr·wd); m = β1·m + (1−β1)·g;
                // v = β2·v + (1−β2)·g²; p −= lr · (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + eps)
                double[] m = slot(st, "m", p.length), v = slot(st, "v", p.length);
                for (int i = 0; i < p.length; i++) {
                    p[i] *= 1 - lr * wd;
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                    p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                }
            };
        }
    }
}
