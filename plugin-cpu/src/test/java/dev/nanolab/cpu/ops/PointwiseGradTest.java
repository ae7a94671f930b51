package dev.nanolab.cpu.ops;

import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Tensor;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Elementwise ops and broadcasting, against double references and finite differences. */
class PointwiseGradTest {
    private static final int[][] SHAPES = {{1}, {7}, {17}, {3, 5}, {2, 3, 33}, {4, 1, 19}};

    private void unary(String name, Function<Tensor, Tensor> op, DoubleUnaryOperator ref, double lo, double hi) {
        GradCheck gc = new GradCheck(name.hashCode());
        for (int[] shape : SHAPES) {
            int n = Ref.size(shape);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * gc.rng().nextDouble();
            gc.check(name + java.util.Arrays.toString(shape), List.of(GradCheck.Input.of(x, shape)),
                    xs -> op.apply(xs.get(0)), in -> java.util.Arrays.stream(in.get(0)).map(ref).toArray());
        }
    }

    @Test
    void unaryOps() {
        unary("neg", Tensor::neg, v -> -v, -3, 3);
        unary("exp", Tensor::exp, Math::exp, -3, 3);
        unary("log", Tensor::log, Math::log, 0.2, 4);
        unary("sqrt", Tensor::sqrt, Math::sqrt, 0.2, 4);
        unary("rsqrt", Tensor::rsqrt, v -> 1 / Math.sqrt(v), 0.3, 4);
        unary("tanh", Tensor::tanh, Math::tanh, -3, 3);
        unary("sigmoid", Tensor::sigmoid, Ref::sigmoid, -5, 5);
        unary("abs", Tensor::abs, Math::abs, 0.05, 3);
        unary("abs-negative", Tensor::abs, Math::abs, -3, -0.05);
        unary("square", Tensor::square, v -> v * v, -3, 3);
        unary("reciprocal", Tensor::reciprocal, v -> 1 / v, 0.5, 3);
        unary("scale", x -> x.mul(-2.5f), v -> -2.5 * v, -3, 3);
        unary("addScalar", x -> x.add(1.25f), v -> v + 1.25, -3, 3);
        unary("pow", x -> x.pow(1.7f), v -> Math.pow(v, 1.7), 0.3, 3);
        unary("gelu", F::gelu, Ref::gelu, -4, 4);
    }

    @Test
    void piecewiseOpsAwayFromTheirKinks() {
        // Finite differences are meaningless across a kink, so sample each side separately.
        unary("relu+", Tensor::relu, v -> Math.max(v, 0), 0.05, 3);
        unary("relu-", Tensor::relu, v -> Math.max(v, 0), -3, -0.05);
        unary("relu2+", F::reluSquared, v -> v > 0 ? v * v : 0, 0.05, 3);
        unary("relu2-", F::reluSquared, v -> v > 0 ? v * v : 0, -3, -0.05);
        unary("clamp-inside", x -> x.clamp(-1f, 1f), v -> Math.max(-1, Math.min(1, v)), -0.95, 0.95);
        unary("clamp-outside", x -> x.clamp(-1f, 1f), v -> Math.max(-1, Math.min(1, v)), 1.05, 3);
    }

    interface BinaryRef {
        double apply(double a, double b);
    }

    private void binary(String name, java.util.function.BinaryOperator<Tensor> op, BinaryRef ref, int[] as, int[] bs, int[] out, double lo) {
        GradCheck gc = new GradCheck(name.hashCode() + as.length * 31 + bs.length);
        double[] a = gc.randn(Ref.size(as), 1), b = gc.randn(Ref.size(bs), 1);
        if (lo > 0) for (int i = 0; i < b.length; i++) b[i] = lo + Math.abs(b[i]);
        gc.check(name + java.util.Arrays.toString(as) + java.util.Arrays.toString(bs),
                List.of(GradCheck.Input.of(a, as), GradCheck.Input.of(b, bs)), xs -> op.apply(xs.get(0), xs.get(1)), in -> {
                    double[] y = new double[Ref.size(out)];
                    for (int i = 0; i < y.length; i++)
                        y[i] = ref.apply(in.get(0)[Ref.broadcastIndex(i, out, as)], in.get(1)[Ref.broadcastIndex(i, out, bs)]);
                    return y;
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"same", "suffix", "middle", "both", "scalar"})
    void binaryOpsBroadcast(String layout) {
        int[][] shapes = switch (layout) {
            case "same" -> new int[][] {{3, 17}, {3, 17}, {3, 17}};
            case "suffix" -> new int[][] {{2, 5, 19}, {19}, {2, 5, 19}};
            case "middle" -> new int[][] {{4, 3, 7}, {4, 1, 7}, {4, 3, 7}};
            case "both" -> new int[][] {{3, 1, 6}, {1, 5, 1}, {3, 5, 6}};
            default -> new int[][] {{2, 33}, {1}, {2, 33}};
        };
        binary("add", Tensor::add, Double::sum, shapes[0], shapes[1], shapes[2], 0);
        binary("sub", Tensor::sub, (x, y) -> x - y, shapes[0], shapes[1], shapes[2], 0);
        binary("mul", Tensor::mul, (x, y) -> x * y, shapes[0], shapes[1], shapes[2], 0);
        binary("div", Tensor::div, (x, y) -> x / y, shapes[0], shapes[1], shapes[2], 0.5);
        binary("maximum", Tensor::maximum, Math::max, shapes[0], shapes[1], shapes[2], 0);
        binary("minimum", Tensor::minimum, Math::min, shapes[0], shapes[1], shapes[2], 0);
    }
}
