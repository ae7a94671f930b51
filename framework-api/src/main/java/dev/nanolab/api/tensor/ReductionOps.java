package dev.nanolab.api.tensor;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.BinaryOp;
import dev.nanolab.api.backend.ReduceOp;
import dev.nanolab.api.backend.UnaryOp;

/** Sum, mean and max over one axis or over everything, and their gradients. */
final class ReductionOps {
    private ReductionOps() {}

    static Tensor sum(Tensor x, int axis, boolean keepDim) {
        return reduce("sum", ReduceOp.SUM, x, axis, keepDim);
    }

    static Tensor mean(Tensor x, int axis, boolean keepDim) {
        return reduce("mean", ReduceOp.MEAN, x, axis, keepDim);
    }

    static Tensor max(Tensor x, int axis, boolean keepDim) {
        return reduce("max", ReduceOp.MAX, x, axis, keepDim);
    }

    static Tensor sumAll(Tensor x) {
        return reduce("sum", ReduceOp.SUM, x.view(Shape.of((int) x.size())), 0, true);
    }

    static Tensor meanAll(Tensor x) {
        return reduce("mean", ReduceOp.MEAN, x.view(Shape.of((int) x.size())), 0, true);
    }

    private static Tensor reduce(String name, ReduceOp op, Tensor x, int axis, boolean keepDim) {
        Tensors.isFloat(name, x);
        Shape s = x.shape();
        int a = s.axis(axis);
        int outer = s.product(0, a), len = s.dim(a), inner = s.product(a + 1, s.rank());
        if (len == 0) throw new ShapeException(name, "cannot reduce an empty axis of " + s);
        Shape kept = s.with(a, 1);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, kept);
        be.pointwise().reduce(op, x.storage(), x.offset(), y.storage(), y.offset(), outer, len, inner, false);
        y.recordBackward(g -> {
            Tensor.GradSink sink = x.gradSink();
            if (sink == null) return;
            // Broadcast the kept-dims gradient back over the reduced axis.
            Tensor spread = Tensor.empty(be, s);
            be.pointwise().copy(g.storage(), g.offset(), kept.broadcastStrides(s), spread.storage(), spread.offset(),
                    s.strides(), s.dims(), false);
            if (op == ReduceOp.MAX) {
                Tensor yb = Tensor.empty(be, s);
                be.pointwise().copy(y.storage(), y.offset(), kept.broadcastStrides(s), yb.storage(), yb.offset(),
                        s.strides(), s.dims(), false);
                Tensor hit = ElementwiseOps.rawBinary(BinaryOp.EQ, x, yb, s);
                spread = ElementwiseOps.rawBinary(BinaryOp.MUL, spread, hit, s);
            }
            float scale = op == ReduceOp.MEAN ? 1f / len : 1f;
            be.pointwise().unaryBackward(UnaryOp.SCALE, scale, 0, spread.span(), spread.span(), spread.span(), sink.grad().span(),
                    s.size(), sink.accumulate());
        }, x);
        return keepDim ? y : y.view(s.without(a));
    }
}
