package dev.nanolab.api.tensor;

import java.util.Arrays;

/** An immutable tensor shape. Dimensions may be addressed from the end with negative indices (-1 is the last). */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            n *= d;
        }
        this.dims = dims;
        this.size = n;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code i}; negative counts from the end. */
    public int dim(int i) {
        return dims[axis(i)];
    }

    /** Normalises a possibly negative axis to {@code [0, rank)}. */
    public int axis(int i) {
        int a = i < 0 ? i + dims.length : i;
        if (a < 0 || a >= dims.length)
            throw new IllegalArgumentException("axis " + i + " out of range for shape " + this);
        return a;
    }

    /** Number of elements. */
    public long size() {
        return size;
    }

    /** Number of elements as an int, for kernels; shapes beyond 2^31 elements are refused. */
    public int sizeInt() {
        if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor too large: " + this);
        return (int) size;
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Product of dims {@code [from, to)}. */
    public int product(int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) n *= dims[i];
        return Math.toIntExact(n);
    }

    /** Contiguous row-major strides. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** This shape with dimension {@code axis} replaced. */
    public Shape with(int axis, int value) {
        int[] d = dims.clone();
        d[axis(axis)] = value;
        return new Shape(d);
    }

    /** This shape without dimension {@code axis}. */
    public Shape without(int axis) {
        int a = axis(axis);
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) if (i != a) d[j++] = dims[i];
        return new Shape(d);
    }

    /**
     * Resolves a reshape target where one dimension may be -1 (inferred).
     *
     * @throws IllegalArgumentException naming both shapes when the sizes differ
     */
    public Shape reshape(int... target) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape " + this + " to " + Arrays.toString(target) + ": more than one -1");
                infer = i;
            } else known *= target[i];
        }
        int[] d = target.clone();
        if (infer >= 0) {
            if (known == 0 || size % known != 0)
                throw new IllegalArgumentException("reshape: cannot reshape " + this + " into " + Arrays.toString(target));
            d[infer] = (int) (size / known);
        }
        Shape s = new Shape(d);
        if (s.size != size)
            throw new IllegalArgumentException("reshape: cannot reshape " + this + " (" + size + " elements) into " + s
                    + " (" + s.size + " elements)");
        return s;
    }

    /** The numpy broadcast of two shapes, or an exception naming both and the op. */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            int ai = i - (rank - a.rank()), bi = i - (rank - b.rank());
            int x = ai >= 0 ? a.dims[ai] : 1, y = bi >= 0 ? b.dims[bi] : 1;
            if (x != y && x != 1 && y != 1) throw new ShapeException(op, "shapes " + a + " and " + b + " do not broadcast (dimension " + i + ": " + x + " vs " + y + ")");
            d[i] = x == 1 ? y : x;
        }
        return new Shape(d);
    }

    /** Strides to read a tensor of this shape as if it had shape {@code target} (0 on broadcast dims). */
    public int[] broadcastStrides(Shape target) {
        int[] own = strides();
        int[] s = new int[target.rank()];
        int shift = target.rank() - rank();
        for (int i = 0; i < rank(); i++) s[i + shift] = dims[i] == 1 && target.dims[i + shift] != 1 ? 0 : own[i];
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) sb.append(i == 0 ? "" : ", ").append(dims[i]);
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }
}
