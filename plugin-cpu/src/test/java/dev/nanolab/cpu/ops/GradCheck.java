package dev.nanolab.cpu.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks an op against an independent double-precision reference: the forward values, and every input gradient
 * against central finite differences of {@code L(x) = Σ ref(x) · R} (R a fixed random weighting of the outputs),
 * all computed in double. The op runs on a poisoned CPU backend (new storage is NaN), so an output element a kernel
 * forgot to write shows up as a NaN.
 */
final class GradCheck {
    /** An input: shape, values, and whether its gradient is checked. Int inputs are passed as ids. */
    record Input(int[] shape, double[] values, boolean grad, boolean ints) {
        static Input of(double[] values, int... shape) {
            return new Input(shape, values, true, false);
        }

        static Input fixed(double[] values, int... shape) {
            return new Input(shape, values, false, false);
        }

        static Input ids(int[] ids, int... shape) {
            double[] v = new double[ids.length];
            for (int i = 0; i < ids.length; i++) v[i] = ids[i];
            return new Input(shape, v, false, true);
        }
    }

    private final Rng rng;
    private double forwardTol = 1e-4;
    private double gradRtol = 5e-3;
    private double gradAtol = 5e-4;
    private double step = 1e-6;

    GradCheck(long seed) {
        this.rng = new Rng(seed);
    }

    GradCheck tolerances(double forward, double gradRelative, double gradAbsolute) {
        this.forwardTol = forward;
        this.gradRtol = gradRelative;
        this.gradAtol = gradAbsolute;
        return this;
    }

    GradCheck step(double h) {
        this.step = h;
        return this;
    }

    Rng rng() {
        return rng;
    }

    double[] randn(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextGaussian() * scale;
        return v;
    }

    /**
     * Runs the check with 1 and 2 threads; asserts forward values, gradients, and that both thread counts give the
     * same bits.
     */
    void check(String name, List<Input> inputs, Function<List<Tensor>, Tensor> op, Function<List<double[]>, double[]> ref) {
        // The op sees float32 inputs, so the reference gets the same values rounded to float.
        List<Input> rounded = new ArrayList<>();
        for (Input in : inputs) {
            double[] r = new double[in.values.length];
            for (int i = 0; i < r.length; i++) r[i] = (float) in.values[i];
            rounded.add(new Input(in.shape, r, in.grad, in.ints));
        }
        inputs = rounded;
        List<double[]> refIn = new ArrayList<>();
        for (Input in : inputs) refIn.add(in.values);
        double[] yRef = ref.apply(refIn);
        double[] weights = randn(yRef.length, 1.0);
        Result one = run(1, inputs, op, weights);
        Result two = run(2, inputs, op, weights);
        assertThat(two.y).as(name + ": forward with 2 threads equals 1 thread bit for bit").isEqualTo(one.y);
        for (int i = 0; i < one.grads.size(); i++)
            assertThat(two.grads.get(i)).as(name + ": gradient " + i + " with 2 threads equals 1 thread").isEqualTo(one.grads.get(i));

        assertThat(one.y).as(name + ": output length").hasSize(yRef.length);
        double scale = 1e-12;
        for (double v : yRef) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < yRef.length; i++) {
            if (Float.isNaN(one.y[i])) fail(name + ": output element " + i + " is NaN (unwritten or invalid), reference " + yRef[i]);
            if (Math.abs(one.y[i] - yRef[i]) > forwardTol * Math.max(1.0, Math.abs(yRef[i])) + forwardTol * 1e-2 * scale)
                fail(name + ": output " + i + " = " + one.y[i] + ", reference " + yRef[i]);
        }

        int g = 0;
        for (int k = 0; k < inputs.size(); k++) {
            Input in = inputs.get(k);
            if (!in.grad) continue;
            float[] analytic = one.grads.get(g++);
            double[] numeric = new double[in.values.length];
            double gScale = 1e-12;
            for (int i = 0; i < numeric.length; i++) {
                double[] x = in.values.clone();
                double h = step * Math.max(1.0, Math.abs(x[i]));
                x[i] = in.values[i] + h;
                refIn.set(k, x);
                double up = dot(ref.apply(refIn), weights);
                x[i] = in.values[i] - h;
                double down = dot(ref.apply(refIn), weights);
                refIn.set(k, in.values);
                numeric[i] = (up - down) / (2 * h);
                gScale = Math.max(gScale, Math.abs(numeric[i]));
            }
            for (int i = 0; i < numeric.length; i++) {
                if (Float.isNaN(analytic[i])) fail(name + ": gradient of input " + k + " element " + i + " is NaN, expected " + numeric[i]);
                double err = Math.abs(analytic[i] - numeric[i]);
                if (err > gradAtol * gScale + gradRtol * Math.abs(numeric[i]))
                    fail(name + ": d/dinput" + k + "[" + i + "] = " + analytic[i] + ", finite difference " + numeric[i]
                            + " (largest gradient " + gScale + ")");
            }
        }
    }

    private record Result(float[] y, List<float[]> grads) {}

    private static Result run(int threads, List<Input> inputs, Function<List<Tensor>, Tensor> op, double[] weights) {
        try (Backend be = new CpuBackend(threads, true); TensorScope scope = TensorScope.open()) {
            List<Tensor> xs = new ArrayList<>();
            for (Input in : inputs) {
                if (in.ints) {
                    int[] ids = new int[in.values.length];
                    for (int i = 0; i < ids.length; i++) ids[i] = (int) in.values[i];
                    xs.add(Tensor.ofInts(be, ids, in.shape));
                } else {
                    Tensor t = Tensor.of(be, toFloat(in.values), in.shape);
                    xs.add(in.grad ? t.requiresGrad(true) : t);
                }
            }
            Tensor y = op.apply(xs);
            float[] yv = y.toFloatArray();
            List<float[]> grads = new ArrayList<>();
            if (inputs.stream().anyMatch(Input::grad)) {
                y.backward(Tensor.of(be, toFloat(weights), y.shape().dims()));
                for (int k = 0; k < inputs.size(); k++) {
                    if (!inputs.get(k).grad) continue;
                    Tensor gr = xs.get(k).grad();
                    assertThat(gr).as("input " + k + " received a gradient").isNotNull();
                    grads.add(gr.toFloatArray());
                }
            }
            return new Result(yv, grads);
        }
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
