package dev.nanolab.api.tensor;

import dev.nanolab.api.backend.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * Ops that move elements without changing them: permutes, slices, splits, concatenation, broadcasting. All are
 * strided copies ({@link dev.nanolab.api.backend.Pointwise#copy}); their gradients are the reverse copies.
 */
final class ShapeOps {
    private ShapeOps() {}

    /** Adds a same-sized gradient (any shape) into {@code target}'s gradient, element by element. */
    static void addGradient(Tensor target, Tensor g) {
        Tensor.GradSink s = target.gradSink();
        if (s == null) return;
        int[] flat = {(int) g.size()};
        int[] one = {1};
        g.backend().pointwise().copy(g.storage(), g.offset(), one, s.grad().storage(), s.grad().offset(), one, flat,
                s.accumulate());
    }

    static Tensor transpose(Tensor x, int a, int b) {
        int[] order = new int[x.rank()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int aa = x.shape().axis(a), bb = x.shape().axis(b);
        order[aa] = bb;
        order[bb] = aa;
        return permute(x, order);
    }

    static Tensor permute(Tensor x, int... order) {
        Shape s = x.shape();
        if (order.length != s.rank()) throw new ShapeException("permute", "order of " + order.length + " axes for shape " + s);
        boolean[] used = new boolean[order.length];
        int[] outDims = new int[order.length], srcStrides = new int[order.length];
        int[] st = s.strides();
        for (int i = 0; i < order.length; i++) {
            int ax = s.axis(order[i]);
            if (used[ax]) throw new ShapeException("permute", "axis " + ax + " repeated in order");
            used[ax] = true;
            outDims[i] = s.dim(ax);
            srcStrides[i] = st[ax];
        }
        Shape out = Shape.of(outDims);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.dtype(), out);
        be.pointwise().copy(x.storage(), x.offset(), srcStrides, y.storage(), y.offset(), out.strides(), outDims, false);
        return y.recordBackward(g -> {
            Tensor.GradSink sink = x.gradSink();
            if (sink == null) return;
            // Write g (contiguous in the permuted order) back through the permuted strides.
            be.pointwise().copy(g.storage(), g.offset(), out.strides(), sink.grad().storage(), sink.grad().offset(),
                    srcStrides, outDims, sink.accumulate());
        }, x);
    }

    static Tensor slice(Tensor x, int axis, int start, int end) {
        Shape s = x.shape();
        int a = s.axis(axis);
        if (start < 0 || end > s.dim(a) || start > end)
            throw new ShapeException("slice", "[" + start + ", " + end + ") out of range for axis " + a + " of " + s);
        Shape out = s.with(a, end - start);
        int[] st = s.strides();
        long srcOffset = x.offset() + (long) start * st[a];
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.dtype(), out);
        be.pointwise().copy(x.storage(), srcOffset, st, y.storage(), y.offset(), out.strides(), out.dims(), false);
        return y.recordBackward(g -> {
            Tensor.GradSink sink = x.gradSink();
            if (sink == null) return;
            // The first writer owns the whole gradient buffer: zero what this slice does not cover.
            if (!sink.accumulate()) be.memory().fill(sink.grad().storage(), sink.grad().offset(), s.size(), 0f);
            be.pointwise().copy(g.storage(), g.offset(), out.strides(), sink.grad().storage(),
                    sink.grad().offset() + (long) start * st[a], st, out.dims(), true);
        }, x);
    }

    /**
     * {@code x} with {@code x[..., start:start+n, ...] = src} along {@code axis} (n = src's size there), as a new
     * tensor. Backward: x gets the gradient outside the slice, src the gradient of the slice.
     */
    static Tensor sliceAssign(Tensor x, int axis, int start, Tensor src) {
        int a = checkSlice("sliceAssign", x, axis, start, src);
        Shape s = x.shape(), ss = src.shape();
        int[] st = s.strides();
        long at = (long) start * st[a];
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.dtype(), s);
        be.pointwise().copy(x.storage(), x.offset(), st, y.storage(), y.offset(), st, s.dims(), false);
        be.pointwise().copy(src.storage(), src.offset(), ss.strides(), y.storage(), y.offset() + at, st, ss.dims(), false);
        return y.recordBackward(g -> {
            Tensor.GradSink dx = x.gradSink(), dsrc = src.gradSink();
            if (dx != null) {
                // g with the slice zeroed: the slice's values came from src, not from x.
                Tensor outside = Tensor.empty(be, s), zeros = Tensor.zeros(be, ss.dims());
                be.pointwise().copy(g.storage(), g.offset(), st, outside.storage(), outside.offset(), st, s.dims(), false);
                be.pointwise().copy(zeros.storage(), zeros.offset(), ss.strides(), outside.storage(), outside.offset() + at, st,
                        ss.dims(), false);
                be.pointwise().copy(outside.storage(), outside.offset(), st, dx.grad().storage(), dx.grad().offset(), st,
                        s.dims(), dx.accumulate());
            }
            if (dsrc != null)
                be.pointwise().copy(g.storage(), g.offset() + at, st, dsrc.grad().storage(), dsrc.grad().offset(),
                        ss.strides(), ss.dims(), dsrc.accumulate());
        }, x, src);
    }

    /** {@code x[..., start:start+n, ...] = src} in place, outside autograd (a KV cache). */
    static Tensor writeSlice(Tensor x, int axis, int start, Tensor src) {
        if (GradMode.enabled() && (x.requiresGrad() || src.requiresGrad()))
            throw new IllegalStateException("writeSlice: an in-place write cannot be differentiated; use sliceAssign, or"
                    + " write with gradients off");
        int a = checkSlice("writeSlice", x, axis, start, src);
        int[] st = x.shape().strides();
        x.backend().pointwise().copy(src.storage(), src.offset(), src.shape().strides(), x.storage(),
                x.offset() + (long) start * st[a], st, src.shape().dims(), false);
        return x;
    }

    /** The axis, after checking that src fits into x at start along it. */
    private static int checkSlice(String op, Tensor x, int axis, int start, Tensor src) {
        Tensors.sameBackend(op, x, src);
        Shape s = x.shape();
        int a = s.axis(axis);
        if (src.rank() != x.rank() || !src.shape().with(a, 1).equals(s.with(a, 1)) || x.dtype() != src.dtype())
            throw new ShapeException(op, "src " + src.shape() + " does not fit " + s + " outside axis " + a);
        if (start < 0 || start + src.dim(a) > s.dim(a))
            throw new ShapeException(op, "[" + start + ", " + (start + src.dim(a)) + ") out of range for axis " + a + " of " + s);
        return a;
    }

    static List<Tensor> split(Tensor x, int axis, int... sizes) {
        int a = x.shape().axis(axis);
        int total = 0;
        for (int n : sizes) total += n;
        if (total != x.dim(a))
            throw new ShapeException("split", "sizes sum to " + total + " but axis " + a + " of " + x.shape() + " is " + x.dim(a));
        List<Tensor> parts = new ArrayList<>(sizes.length);
        int at = 0;
        for (int n : sizes) {
            parts.add(slice(x, a, at, at + n));
            at += n;
        }
        return parts;
    }

    static Tensor concat(int axis, List<Tensor> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat: no tensors");
        Tensor first = parts.get(0);
        int a = first.shape().axis(axis);
        int total = 0;
        for (Tensor p : parts) {
            Tensors.sameBackend("concat", first, p);
            if (p.rank() != first.rank() || !p.shape().with(a, 1).equals(first.shape().with(a, 1)))
                throw new ShapeException("concat", "shapes " + first.shape() + " and " + p.shape() + " differ outside axis " + a);
            total += p.dim(a);
        }
        Shape out = first.shape().with(a, total);
        int[] ost = out.strides();
        Backend be = first.backend();
        Tensor y = Tensor.empty(be, first.dtype(), out);
        int at = 0;
        int[] starts = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            starts[i] = at;
            be.pointwise().copy(p.storage(), p.offset(), p.shape().strides(), y.storage(), y.offset() + (long) at * ost[a],
                    ost, p.shape().dims(), false);
            at += p.dim(a);
        }
        Tensor[] inputs = parts.toArray(Tensor[]::new);
        return y.recordBackward(g -> {
            for (int i = 0; i < inputs.length; i++) {
                Tensor p = inputs[i];
                Tensor.GradSink sink = p.gradSink();
                if (sink == null) continue;
                be.pointwise().copy(g.storage(), g.offset() + (long) starts[i] * ost[a], ost, sink.grad().storage(),
                        sink.grad().offset(), p.shape().strides(), p.shape().dims(), sink.accumulate());
            }
        }, inputs);
    }

    static Tensor expand(Tensor x, Shape target) {
        Shape b = Shape.broadcast("expand", x.shape(), target);
        if (!b.equals(target)) throw new ShapeException("expand", "cannot expand " + x.shape() + " to " + target);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.dtype(), target);
        be.pointwise().copy(x.storage(), x.offset(), x.shape().broadcastStrides(target), y.storage(), y.offset(),
                target.strides(), target.dims(), false);
        return y.recordBackward(g -> ElementwiseOps.sumInto(g, x, 1f), x);
    }
}
