package dev.nanolab.api.tensor;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.BinaryOp;
import dev.nanolab.api.backend.Pointwise;
import dev.nanolab.api.backend.UnaryOp;

/** Elementwise ops with numpy broadcasting, and their gradients. */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static Tensor unary(String name, UnaryOp op, float p0, float p1, Tensor x) {
        Tensors.isFloat(name, x);
        Backend be = x.backend();
        long n = x.size();
        Tensor y = Tensor.empty(be, x.shape());
        be.pointwise().unary(op, p0, p1, x.storage(), x.offset(), y.storage(), y.offset(), n);
        return y.recordBackward(g -> {
            Tensor.GradSink s = x.gradSink();
            if (s != null)
                be.pointwise().unaryBackward(op, p0, p1, x.span(), y.span(), g.span(), s.grad().span(), n,
                        s.accumulate());
        }, x);
    }

    static Tensor neg(Tensor x) { return unary("neg", UnaryOp.NEG, 0, 0, x); }
    static Tensor exp(Tensor x) { return unary("exp", UnaryOp.EXP, 0, 0, x); }
    static Tensor log(Tensor x) { return unary("log", UnaryOp.LOG, 0, 0, x); }
    static Tensor sqrt(Tensor x) { return unary("sqrt", UnaryOp.SQRT, 0, 0, x); }
    static Tensor rsqrt(Tensor x) { return unary("rsqrt", UnaryOp.RSQRT, 0, 0, x); }
    static Tensor tanh(Tensor x) { return unary("tanh", UnaryOp.TANH, 0, 0, x); }
    static Tensor sigmoid(Tensor x) { return unary("sigmoid", UnaryOp.SIGMOID, 0, 0, x); }
    static Tensor relu(Tensor x) { return unary("relu", UnaryOp.RELU, 0, 0, x); }
    static Tensor abs(Tensor x) { return unary("abs", UnaryOp.ABS, 0, 0, x); }
    static Tensor square(Tensor x) { return unary("square", UnaryOp.SQUARE, 0, 0, x); }
    static Tensor reciprocal(Tensor x) { return unary("reciprocal", UnaryOp.RECIPROCAL, 0, 0, x); }
    static Tensor scale(Tensor x, float c) { return unary("mul", UnaryOp.SCALE, c, 0, x); }
    static Tensor addScalar(Tensor x, float c) { return unary("add", UnaryOp.ADD_SCALAR, c, 0, x); }
    static Tensor pow(Tensor x, float p) { return unary("pow", UnaryOp.POW, p, 0, x); }
    static Tensor clamp(Tensor x, float lo, float hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("clamp: lo " + lo + " > hi " + hi);
        return unary("clamp", UnaryOp.CLAMP, lo, hi, x);
    }

    static Tensor add(Tensor a, Tensor b) { return binary("add", BinaryOp.ADD, a, b); }
    static Tensor sub(Tensor a, Tensor b) { return binary("sub", BinaryOp.SUB, a, b); }
    static Tensor mul(Tensor a, Tensor b) { return binary("mul", BinaryOp.MUL, a, b); }
    static Tensor div(Tensor a, Tensor b) { return binary("div", BinaryOp.DIV, a, b); }
    static Tensor maximum(Tensor a, Tensor b) { return binary("maximum", BinaryOp.MAX, a, b); }
    static Tensor minimum(Tensor a, Tensor b) { return binary("minimum", BinaryOp.MIN, a, b); }

    /** Runs the kernel with broadcasting, without recording anything. */
    static Tensor rawBinary(BinaryOp op, Tensor a, Tensor b, Shape out) {
        Tensor y = Tensor.empty(a.backend(), out);
        a.backend().pointwise().binary(op, a.storage(), a.offset(), a.shape().broadcastStrides(out),
                b.storage(), b.offset(), b.shape().broadcastStrides(out), y.storage(), y.offset(), out.dims());
        return y;
    }

    static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        Tensors.sameBackend(name, a, b);
        Tensors.isFloat(name, a);
        Tensors.isFloat(name, b);
        Shape out = Shape.broadcast(name, a.shape(), b.shape());
        Tensor y = rawBinary(op, a, b, out);
        return y.recordBackward(g -> {
            switch (op) {
                case ADD -> {
                    sumInto(g, a, 1f);
                    sumInto(g, b, 1f);
                }
                case SUB -> {
                    sumInto(g, a, 1f);
                    sumInto(g, b, -1f);
                }
                case MUL -> {
                    if (a.requiresGrad()) sumInto(rawBinary(BinaryOp.MUL, g, b, out), a, 1f);
                    if (b.requiresGrad()) sumInto(rawBinary(BinaryOp.MUL, g, a, out), b, 1f);
                }
                case DIV -> {
                    Tensor gOverB = rawBinary(BinaryOp.DIV, g, b, out);
                    if (a.requiresGrad()) sumInto(gOverB, a, 1f);
                    // d(a/b)/db = -a/b² = -y/b
                    if (b.requiresGrad()) sumInto(rawBinary(BinaryOp.MUL, gOverB, y, out), b, -1f);
                }
                case MAX, MIN -> {
                    // The gradient goes to whichever operand equals the result (to both on a tie).
                    if (a.requiresGrad()) sumInto(rawBinary(BinaryOp.MUL, g, rawBinary(BinaryOp.EQ, a, y, out), out), a, 1f);
                    if (b.requiresGrad()) sumInto(rawBinary(BinaryOp.MUL, g, rawBinary(BinaryOp.EQ, b, y, out), out), b, 1f);
                }
                default -> throw new IllegalStateException(op + " has no gradient");
            }
        }, a, b);
    }

    /**
     * Adds {@code scale · g}, summed down to {@code target}'s shape over the broadcast dimensions, into target's
     * gradient.
     */
    static void sumInto(Tensor g, Tensor target, float scale) {
        Tensor.GradSink s = target.gradSink();
        if (s == null) return;
        Tensor reduced = sumToShape(g, target.shape());
        Pointwise pw = g.backend().pointwise();
        pw.unaryBackward(UnaryOp.SCALE, scale, 0, reduced.span(), reduced.span(), reduced.span(), s.grad().span(),
                reduced.size(), s.accumulate());
    }

    /** Sums {@code g} over the dimensions where {@code shape} was broadcast; g itself when nothing was. */
    static Tensor sumToShape(Tensor g, Shape shape) {
        if (g.shape().equals(shape)) return g;
        Shape gs = g.shape();
        int shift = gs.rank() - shape.rank();
        Tensor cur = g;
        int[] dims = gs.dims();
        for (int axis = 0; axis < gs.rank(); axis++) {
            int want = axis < shift ? 1 : shape.dim(axis - shift);
            if (dims[axis] != want) {
                int outer = 1, inner = 1;
                for (int i = 0; i < axis; i++) outer *= dims[i];
                for (int i = axis + 1; i < dims.length; i++) inner *= dims[i];
                int len = dims[axis];
                dims[axis] = 1;
                Tensor next = Tensor.empty(g.backend(), Shape.of(dims));
                g.backend().pointwise().reduce(dev.nanolab.api.backend.ReduceOp.SUM, cur.storage(), cur.offset(),
                        next.storage(), next.offset(), outer, len, inner, false);
                cur = next;
            }
        }
        return cur;
    }
}
