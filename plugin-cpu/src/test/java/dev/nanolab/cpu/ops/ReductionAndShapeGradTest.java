package dev.nanolab.cpu.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reductions and element-moving ops. */
class ReductionAndShapeGradTest {
    private static double[] reduce(double[] x, int[] shape, int axis, String op) {
        int outer = 1, inner = 1, len = shape[axis];
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        double[] y = new double[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int in = 0; in < inner; in++) {
                double acc = op.equals("max") ? Double.NEGATIVE_INFINITY : 0;
                for (int l = 0; l < len; l++) {
                    double v = x[(o * len + l) * inner + in];
                    acc = op.equals("max") ? Math.max(acc, v) : acc + v;
                }
                y[o * inner + in] = op.equals("mean") ? acc / len : acc;
            }
        return y;
    }

    @Test
    void sumMeanMaxOverEachAxis() {
        int[][] shapes = {{5}, {3, 17}, {2, 7, 19}, {4, 3, 1, 5}};
        GradCheck gc = new GradCheck(11);
        for (int[] shape : shapes)
            for (int axis = 0; axis < shape.length; axis++) {
                int ax = axis;
                double[] x = gc.randn(Ref.size(shape), 1);
                for (String op : List.of("sum", "mean", "max")) {
                    gc.check(op + java.util.Arrays.toString(shape) + "@" + axis, List.of(GradCheck.Input.of(x, shape)), xs -> switch (op) {
                        case "sum" -> xs.get(0).sum(ax, false);
                        case "mean" -> xs.get(0).mean(ax, true);
                        default -> xs.get(0).max(ax, false);
                    }, in -> reduce(in.get(0), shape, ax, op));
                }
            }
        double[] x = gc.randn(3 * 37, 1);
        gc.check("sumAll", List.of(GradCheck.Input.of(x, 3, 37)), xs -> xs.get(0).sum(),
                in -> new double[] {java.util.Arrays.stream(in.get(0)).sum()});
        gc.check("meanAll", List.of(GradCheck.Input.of(x, 3, 37)), xs -> xs.get(0).mean(),
                in -> new double[] {java.util.Arrays.stream(in.get(0)).average().orElseThrow()});
    }

    @Test
    void permuteTransposeReshape() {
        GradCheck gc = new GradCheck(12);
        int[] shape = {2, 3, 5, 7};
        double[] x = gc.randn(Ref.size(shape), 1);
        int[] order = {2, 0, 3, 1};
        gc.check("permute", List.of(GradCheck.Input.of(x, shape)), xs -> xs.get(0).permute(order), in -> {
            int[] out = {shape[2], shape[0], shape[3], shape[1]};
            int[] os = Ref.strides(out), is = Ref.strides(shape);
            double[] y = new double[x.length];
            for (int i = 0; i < y.length; i++) {
                int src = 0;
                for (int d = 0; d < 4; d++) src += ((i / os[d]) % out[d]) * is[order[d]];
                y[i] = in.get(0)[src];
            }
            return y;
        });
        gc.check("transpose", List.of(GradCheck.Input.of(gc.randn(3 * 19, 1), 3, 19)), xs -> xs.get(0).transpose(0, 1), in -> {
            double[] y = new double[57];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 19; j++) y[j * 3 + i] = in.get(0)[i * 19 + j];
            return y;
        });
        gc.check("reshape", List.of(GradCheck.Input.of(gc.randn(24, 1), 2, 12)), xs -> xs.get(0).reshape(4, -1).mul(2f),
                in -> java.util.Arrays.stream(in.get(0)).map(v -> 2 * v).toArray());
    }

    @Test
    void writeSliceIsInPlaceAndRefusedUnderAutograd() {
        try (var be = new dev.nanolab.cpu.CpuBackend(1, true); var scope = dev.nanolab.api.tensor.TensorScope.open()) {
            Tensor cache = Tensor.zeros(be, 2, 5, 3);
            Tensor fresh = Tensor.of(be, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
            assertThat(cache.writeSlice(1, 3, fresh)).isSameAs(cache);
            float[] c = cache.toFloatArray();
            assertThat(java.util.Arrays.copyOfRange(c, 9, 15)).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(java.util.Arrays.copyOfRange(c, 24, 30)).containsExactly(7, 8, 9, 10, 11, 12);
            assertThat(java.util.Arrays.copyOfRange(c, 0, 9)).containsOnly(0f);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.writeSlice(1, 4, fresh))
                    .hasMessageContaining("out of range");
            Tensor learned = Tensor.zeros(be, 2, 5, 3).requiresGrad(true);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> learned.writeSlice(1, 0, fresh))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("sliceAssign");
        }
    }

    @Test
    void sliceSplitConcatExpand() {
        GradCheck gc = new GradCheck(13);
        int[] shape = {3, 10, 4};
        double[] x = gc.randn(Ref.size(shape), 1);
        gc.check("slice", List.of(GradCheck.Input.of(x, shape)), xs -> xs.get(0).slice(1, 2, 7), in -> {
            double[] y = new double[3 * 5 * 4];
            for (int a = 0; a < 3; a++) for (int b = 0; b < 5; b++) for (int c = 0; c < 4; c++)
                y[(a * 5 + b) * 4 + c] = in.get(0)[(a * 10 + b + 2) * 4 + c];
            return y;
        });
        // Split into three and recombine with different weights: every piece's gradient lands in the right place.
        gc.check("split", List.of(GradCheck.Input.of(x, shape)), xs -> {
            List<Tensor> p = xs.get(0).split(1, 3, 3, 4);
            return Tensor.concat(1, List.of(p.get(2).mul(3f), p.get(0), p.get(1).mul(-1f)));
        }, in -> {
            double[] y = new double[x.length];
            for (int a = 0; a < 3; a++) for (int b = 0; b < 10; b++) for (int c = 0; c < 4; c++) {
                int src = b < 4 ? b + 6 : b < 7 ? b - 4 : b - 4;
                double f = b < 4 ? 3 : b < 7 ? 1 : -1;
                y[(a * 10 + b) * 4 + c] = f * in.get(0)[(a * 10 + src) * 4 + c];
            }
            return y;
        });
        // Slice-assign: x outside [5, 9) on axis 1, src inside; both get their share of the gradient.
        double[] src = gc.randn(3 * 4 * 4, 1);
        gc.check("sliceAssign", List.of(GradCheck.Input.of(x, shape), GradCheck.Input.of(src, 3, 4, 4)),
                xs -> xs.get(0).sliceAssign(1, 5, xs.get(1)), in -> {
                    double[] y = in.get(0).clone();
                    for (int a = 0; a < 3; a++) for (int b = 0; b < 4; b++) for (int c = 0; c < 4; c++)
                        y[(a * 10 + b + 5) * 4 + c] = in.get(1)[(a * 4 + b) * 4 + c];
                    return y;
                });
        double[] small = gc.randn(5, 1);
        gc.check("expand", List.of(GradCheck.Input.of(small, 5, 1)), xs -> xs.get(0).expand(2, 5, 3), in -> {
            double[] y = new double[30];
            for (int i = 0; i < 30; i++) y[i] = in.get(0)[(i / 3) % 5];
            return y;
        });
    }
}
