package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.BinaryOp;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Pointwise;
import dev.nanolab.api.backend.ReduceOp;
import dev.nanolab.api.backend.Span;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.UnaryOp;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.tornadovm.kernels.KPointwise;
import java.util.ArrayList;
import java.util.List;

/** Elementwise, broadcasting, strided copy and reduction kernels. */
final class TornadoPointwise extends Ops implements Pointwise {
    TornadoPointwise(TornadoBackend backend) {
        super(backend);
    }

    @Override
    public void unary(UnaryOp op, float p0, float p1, Storage x, long xOffset, Storage y, long yOffset, long n) {
        if (n == 0) return;
        int len = intSize(n, "length");
        launch(KernelCall.elementwise(Kernel.UNARY, n, ints(op.ordinal(), f(x, xOffset, n), f(y, yOffset, n), len), p0, p1));
    }

    @Override
    public void unaryBackward(UnaryOp op, float p0, float p1, Span x, Span y, Span dy, Span dx, long n, boolean accumulate) {
        if (n == 0) return;
        int len = intSize(n, "length");
        launch(KernelCall.elementwise(Kernel.UNARY_BACKWARD, n, ints(op.ordinal(), f(x.storage(), x.offset(), n),
                f(y.storage(), y.offset(), n), f(dy.storage(), dy.offset(), n), f(dx.storage(), dx.offset(), n), len,
                flag(accumulate)), p0, p1));
    }

    /** A shape with its operands' strides, after dropping size-1 dimensions and merging contiguous ones. */
    record Strided(int[] shape, int[][] strides, long total) {
        static Strided of(int[] shape, int[]... strides) {
            long total = 1;
            for (int s : shape) total *= s;
            List<Integer> dims = new ArrayList<>();
            List<int[]> st = new ArrayList<>();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 1) continue;
                int[] col = new int[strides.length];
                for (int o = 0; o < strides.length; o++) col[o] = strides[o][d];
                if (!dims.isEmpty()) {
                    int last = dims.size() - 1;
                    int[] prev = st.get(last);
                    boolean merge = true;
                    for (int o = 0; o < strides.length; o++) merge &= prev[o] == (long) col[o] * shape[d];
                    if (merge) {
                        dims.set(last, dims.get(last) * shape[d]);
                        st.set(last, col);
                        continue;
                    }
                }
                dims.add(shape[d]);
                st.add(col);
            }
            if (dims.isEmpty()) {
                dims.add(1);
                st.add(new int[strides.length]);
            }
            if (dims.size() > KPointwise.MAX_RANK)
                throw new IllegalArgumentException("tornadovm: strided operands of rank " + dims.size() + " (after merging) exceed " + KPointwise.MAX_RANK);
            int[] sh = dims.stream().mapToInt(Integer::intValue).toArray();
            int[][] out = new int[strides.length][sh.length];
            for (int d = 0; d < sh.length; d++)
                for (int o = 0; o < strides.length; o++) out[o][d] = st.get(d)[o];
            return new Strided(sh, out, total);
        }

        /** Elements from the first to one past the last that operand o touches. */
        long span(int o) {
            long max = 0;
            for (int d = 0; d < shape.length; d++) {
                if (strides[o][d] < 0) throw new IllegalArgumentException("tornadovm: negative strides are not supported");
                max += (long) (shape[d] - 1) * strides[o][d];
            }
            return total == 0 ? 0 : max + 1;
        }
    }

    private static void checkRank(String op, int[] shape, int[]... strides) {
        for (int[] s : strides)
            if (s.length != shape.length) throw new IllegalArgumentException(op + ": strides of rank " + s.length + " for shape of rank " + shape.length);
    }

    @Override
    public void binary(BinaryOp op, Storage a, long aOffset, int[] aStrides, Storage b, long bOffset, int[] bStrides,
                       Storage out, long outOffset, int[] shape) {
        checkRank("binary", shape, aStrides, bStrides);
        Strided s = Strided.of(shape, aStrides, bStrides, Shape.of(shape).strides());
        if (s.total == 0) return;
        int r = s.shape.length;
        int[] args = new int[6 + 3 * r];
        args[0] = op.ordinal();
        args[1] = f(a, aOffset, s.span(0));
        args[2] = f(b, bOffset, s.span(1));
        args[3] = f(out, outOffset, s.total);
        args[4] = r;
        args[5] = intSize(s.total, "size");
        System.arraycopy(s.shape, 0, args, 6, r);
        System.arraycopy(s.strides[0], 0, args, 6 + r, r);
        System.arraycopy(s.strides[1], 0, args, 6 + 2 * r, r);
        launch(KernelCall.elementwise(Kernel.BINARY, s.total, args));
    }

    @Override
    public void copy(Storage src, long srcOffset, int[] srcStrides, Storage dst, long dstOffset, int[] dstStrides,
                     int[] shape, boolean accumulate) {
        checkRank("copy", shape, srcStrides, dstStrides);
        for (int s : dstStrides) if (s == 0) throw new IllegalArgumentException("copy: destination stride 0 (use reduce)");
        if (src.dtype() != dst.dtype()) throw new IllegalArgumentException("copy: from " + src.dtype() + " to " + dst.dtype());
        boolean ints = src.dtype() == DType.I32;
        if (ints && accumulate) throw new IllegalArgumentException("copy: cannot accumulate int32 values");
        Strided s = Strided.of(shape, srcStrides, dstStrides);
        if (s.total == 0) return;
        int r = s.shape.length;
        int[] args = new int[5 + 3 * r];
        args[0] = ints ? i(src, srcOffset, s.span(0)) : f(src, srcOffset, s.span(0));
        args[1] = ints ? i(dst, dstOffset, s.span(1)) : f(dst, dstOffset, s.span(1));
        args[2] = r;
        args[3] = intSize(s.total, "size");
        args[4] = flag(accumulate);
        System.arraycopy(s.shape, 0, args, 5, r);
        System.arraycopy(s.strides[0], 0, args, 5 + r, r);
        System.arraycopy(s.strides[1], 0, args, 5 + 2 * r, r);
        launch(KernelCall.elementwise(ints ? Kernel.COPY_I : Kernel.COPY_F, s.total, args));
    }

    @Override
    public void reduce(ReduceOp op, Storage x, long xOffset, Storage y, long yOffset, int outer, int length, int inner,
                       boolean accumulate) {
        long outN = (long) outer * inner;
        if (outN == 0) return;
        int xo = f(x, xOffset, (long) outer * length * inner), yo = f(y, yOffset, outN);
        if (inner == 1)
            launch(KernelCall.rows(Kernel.REDUCE_ROWS, outer, ints(op.ordinal(), xo, yo, outer, length, flag(accumulate))));
        else
            launch(KernelCall.elementwise(Kernel.REDUCE_COLUMNS, outN, ints(op.ordinal(), xo, yo, outer, length, inner, flag(accumulate))));
    }
}
