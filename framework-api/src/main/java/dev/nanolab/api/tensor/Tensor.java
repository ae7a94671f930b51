package dev.nanolab.api.tensor;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.GemmOperand;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.Span;
import dev.nanolab.api.backend.Storage;
import java.util.Arrays;
import java.util.List;

/**
 * A contiguous, row-major tensor of float32 values (or int32 ids) in a {@link Backend}'s storage, with reverse-mode
 * autograd.
 *
 * <p>Values live where the backend keeps them; {@link #toFloatArray()} and {@link #item()} are the only ways to the
 * host. Ops check shapes (naming op and shapes on a mismatch) and refuse tensors of two different backends.
 *
 * <p>Autograd: a tensor produced by an op from inputs that require gradients records how to send its gradient back.
 * {@link #backward()} on a scalar runs those steps in reverse topological order, accumulating into {@link #grad()} of
 * every tensor that requires a gradient. Inside {@link GradMode#disabled()} nothing is recorded.
 *
 * <p>Lifetime: storage allocated inside a {@link TensorScope} returns to the backend's pool when the scope closes,
 * so a training step that runs in a scope allocates nothing once warm. Parameters, their gradients and optimizer
 * state are allocated outside any scope.
 */
public final class Tensor {
    private final Backend backend;
    private final Storage storage;
    private final long offset;
    private final Shape shape;
    private final DType dtype;
    /** The tensor whose storage this one views, or null if it owns its storage. */
    private final Tensor base;
    private boolean released;

    private String name;
    private boolean requiresGrad;
    private GradNode node;
    private Tensor grad;
    private boolean gradWritten;

    private Tensor(Backend backend, Storage storage, long offset, Shape shape, DType dtype, Tensor base) {
        this.backend = backend;
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.dtype = dtype;
        this.base = base;
    }

    // ---------------------------------------------------------------- creation

    /** A tensor with undefined contents; ops fill it. Tracked by the current {@link TensorScope}, if any. */
    public static Tensor empty(Backend backend, DType dtype, Shape shape) {
        Storage s = backend.memory().allocate(dtype, Math.max(1, shape.size()));
        Tensor t = new Tensor(backend, s, 0, shape, dtype, null);
        TensorScope.track(t);
        return t;
    }

    public static Tensor empty(Backend backend, Shape shape) {
        return empty(backend, DType.F32, shape);
    }

    public static Tensor full(Backend backend, float value, int... shape) {
        Tensor t = empty(backend, Shape.of(shape));
        backend.memory().fill(t.storage, 0, t.shape.size(), value);
        return t;
    }

    public static Tensor zeros(Backend backend, int... shape) {
        return full(backend, 0f, shape);
    }

    /** A float tensor holding a copy of {@code data}, which must have exactly the shape's size. */
    public static Tensor of(Backend backend, float[] data, int... shape) {
        Shape s = Shape.of(shape);
        if (s.size() != data.length)
            throw new ShapeException("of", data.length + " values do not fill shape " + s);
        Tensor t = empty(backend, s);
        backend.memory().write(t.storage, 0, data, 0, data.length);
        return t;
    }

    /** An int32 tensor (token ids, targets) holding a copy of {@code data}. */
    public static Tensor ofInts(Backend backend, int[] data, int... shape) {
        Shape s = Shape.of(shape);
        if (s.size() != data.length)
            throw new ShapeException("ofInts", data.length + " values do not fill shape " + s);
        Tensor t = empty(backend, DType.I32, s);
        backend.memory().write(t.storage, 0, data, 0, data.length);
        return t;
    }

    /** Normal(0, std) values drawn from {@code rng} on the host. */
    public static Tensor randn(Backend backend, Rng rng, float std, int... shape) {
        Shape s = Shape.of(shape);
        float[] v = new float[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * std);
        return of(backend, v, shape);
    }

    /** Uniform values in [lo, hi) drawn from {@code rng} on the host. */
    public static Tensor uniform(Backend backend, Rng rng, float lo, float hi, int... shape) {
        Shape s = Shape.of(shape);
        float[] v = new float[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.nextFloat();
        return of(backend, v, shape);
    }

    /** A tensor over existing storage, for backends and op implementations. Not tracked by any scope. */
    public static Tensor wrap(Backend backend, Storage storage, long offset, Shape shape) {
        if (storage.backend() != backend) throw new IllegalArgumentException("storage belongs to another backend");
        if (offset + shape.size() > storage.size())
            throw new IllegalArgumentException("shape " + shape + " at offset " + offset + " exceeds storage of " + storage.size());
        return new Tensor(backend, storage, offset, shape, storage.dtype(), null);
    }

    // ---------------------------------------------------------------- data access

    public Backend backend() {
        return backend;
    }

    /** The storage, for op implementations; elements start at {@link #offset()}. */
    public Storage storage() {
        checkAlive();
        return storage;
    }

    /** This tensor's elements as a GEMM operand: one row-major matrix from its offset, not transposed. */
    public GemmOperand matrix() {
        return GemmOperand.of(storage(), offset);
    }

    /** This tensor's elements as one contiguous run from its offset, for elementwise kernels. */
    public Span span() {
        return new Span(storage(), offset);
    }

    /** This tensor's elements as rows of {@code rowStride} elements from its offset, for row-view kernels. */
    public RowView rows(int rowStride) {
        return new RowView(storage(), offset, rowStride);
    }

    /** The element offset into {@link #storage()}. */
    public long offset() {
        return offset;
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public int rank() {
        return shape.rank();
    }

    /** Dimension {@code i} (negative from the end). */
    public int dim(int i) {
        return shape.dim(i);
    }

    public long size() {
        return shape.size();
    }

    /** Copies the values to the host. */
    public float[] toFloatArray() {
        checkAlive();
        if (dtype != DType.F32) throw new IllegalStateException("toFloatArray on an " + dtype + " tensor");
        float[] out = new float[shape.sizeInt()];
        backend.memory().read(storage, offset, out, 0, out.length);
        return out;
    }

    public int[] toIntArray() {
        checkAlive();
        if (dtype != DType.I32) throw new IllegalStateException("toIntArray on an " + dtype + " tensor");
        int[] out = new int[shape.sizeInt()];
        backend.memory().read(storage, offset, out, 0, out.length);
        return out;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (shape.size() != 1) throw new ShapeException("item", "needs one element, shape is " + shape);
        return toFloatArray()[0];
    }

    /** Overwrites the values from the host. */
    public Tensor set(float[] values) {
        checkAlive();
        if (values.length != shape.size()) throw new ShapeException("set", values.length + " values for shape " + shape);
        backend.memory().write(storage, offset, values, 0, values.length);
        return this;
    }

    public Tensor set(int[] values) {
        checkAlive();
        if (values.length != shape.size()) throw new ShapeException("set", values.length + " values for shape " + shape);
        backend.memory().write(storage, offset, values, 0, values.length);
        return this;
    }

    /** Copies another tensor's values into this one (same shape, same backend); no gradient. */
    public Tensor copyFrom(Tensor src) {
        Tensors.sameBackend("copyFrom", this, src);
        if (!shape.equals(src.shape)) throw new ShapeException("copyFrom", "shapes " + shape + " and " + src.shape + " differ");
        int[] st = shape.strides();
        backend.pointwise().copy(src.storage(), src.offset, st, storage(), offset, st, shape.dims(), false);
        return this;
    }

    /** A copy on another backend, through the host. */
    public Tensor to(Backend other) {
        if (other == backend) return this;
        return dtype == DType.F32 ? of(other, toFloatArray(), shape.dims()) : ofInts(other, toIntArray(), shape.dims());
    }

    /** Removes this tensor from its {@link TensorScope}, so its storage outlives the scope. */
    public Tensor keep() {
        TensorScope.untrack(this);
        return this;
    }

    /** Returns the storage to the pool now; the tensor must not be used afterwards. Views release nothing. */
    public void release() {
        if (released || base != null) return;
        released = true;
        backend.memory().release(storage);
    }

    public boolean isReleased() {
        return released || (base != null && base.isReleased());
    }

    void checkAlive() {
        if (isReleased())
            throw new IllegalStateException("tensor " + describe() + " was released (its scope closed); keep() it to use it later");
    }

    // ---------------------------------------------------------------- autograd

    /** Marks a leaf tensor (a parameter) as needing a gradient. */
    public Tensor requiresGrad(boolean on) {
        if (node != null && !on) throw new IllegalStateException("cannot stop a non-leaf tensor requiring grad; use detach()");
        if (on && dtype != DType.F32) throw new IllegalStateException("int tensors have no gradient");
        this.requiresGrad = on;
        return this;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** A stable name (parameters: {@code transformer.h.0.attn.c_attn.weight}), used by checkpoints and probes. */
    public String name() {
        return name;
    }

    public Tensor name(String name) {
        this.name = name;
        return this;
    }

    /** Whether this tensor was made by an op (it has a backward), as opposed to being a leaf. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The gradient accumulated since the last {@link #zeroGrad()}, or null if none reached this tensor. */
    public Tensor grad() {
        return gradWritten ? grad : null;
    }

    /** Forgets the gradient; the buffer is kept and overwritten by the next backward, with no memset. */
    public void zeroGrad() {
        gradWritten = false;
    }

    /** The same values (sharing storage), cut off from the graph: no gradient flows through it. */
    public Tensor detach() {
        checkAlive();
        Tensor v = new Tensor(backend, storage, offset, shape, dtype, base != null ? base : this);
        v.name = name;
        return v;
    }

    /**
     * Back-propagates from this one-element tensor with gradient 1: every tensor that requires a gradient and was
     * used to compute this one gets its contribution added to {@link #grad()}.
     */
    public void backward() {
        if (shape.size() != 1) throw new ShapeException("backward", "needs a one-element tensor (a loss), shape is " + shape);
        if (!requiresGrad) throw new IllegalStateException("backward: this tensor does not require grad (no parameter was used, or grad mode was off)");
        Autograd.backward(this, null);
    }

    /**
     * Back-propagates from this tensor with the given gradient (same shape), as PyTorch's
     * {@code y.backward(gradient)}: the vector-Jacobian product for a non-scalar output.
     */
    public void backward(Tensor gradient) {
        Tensors.sameBackend("backward", this, gradient);
        if (!gradient.shape().equals(shape)) throw new ShapeException("backward", "gradient " + gradient.shape() + " for output " + shape);
        if (!requiresGrad) throw new IllegalStateException("backward: this tensor does not require grad (no parameter was used, or grad mode was off)");
        Autograd.backward(this, gradient);
    }

    /**
     * For op implementations: where to write the gradient for this tensor during backward, or null if it needs none.
     * The first writer since {@link #zeroGrad()} overwrites ({@code accumulate} false); later writers add.
     * Leaf gradients are allocated outside any scope, so they survive the step.
     */
    public GradSink gradSink() {
        if (!requiresGrad) return null;
        if (grad == null) {
            grad = node == null ? TensorScope.outside(() -> empty(backend, shape)) : empty(backend, shape);
        }
        boolean accumulate = gradWritten;
        gradWritten = true;
        return new GradSink(grad, accumulate);
    }

    /** The gradient buffer of a tensor during backward, and whether kernels must add to it. */
    public record GradSink(Tensor grad, boolean accumulate) {}

    /**
     * For op implementations: records that this output was computed from {@code inputs} and how to send its
     * gradient back. Does nothing when grad mode is off or no input requires a gradient.
     */
    public Tensor recordBackward(Backward backward, Tensor... inputs) {
        if (!GradMode.enabled()) return this;
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                this.requiresGrad = true;
                this.node = new GradNode(backward, inputs.clone());
                return this;
            }
        }
        return this;
    }

    GradNode node() {
        return node;
    }

    /** Drops this tensor's recorded backward after it ran, so the graph can be collected. */
    void clearNode() {
        node = null;
    }

    /** Intermediate gradient buffer, for the engine to free early. */
    Tensor rawGrad() {
        return grad;
    }

    void dropGrad() {
        grad = null;
        gradWritten = false;
    }

    // ---------------------------------------------------------------- views

    /** Same storage, another shape of the same size (a view). The gradient flows back unchanged in layout. */
    public Tensor view(Shape newShape) {
        checkAlive();
        if (newShape.size() != shape.size()) throw new ShapeException("view", "shapes " + shape + " and " + newShape + " differ in size");
        Tensor v = new Tensor(backend, storage, offset, newShape, dtype, base != null ? base : this);
        v.name = name;
        Tensor self = this;
        return v.recordBackward(g -> ShapeOps.addGradient(self, g), self);
    }

    /** {@link #view(Shape)} with one dimension that may be -1. */
    public Tensor reshape(int... dims) {
        return view(shape.reshape(dims));
    }

    // ---------------------------------------------------------------- ops (see the op classes for details)

    public Tensor add(Tensor other) { return ElementwiseOps.add(this, other); }
    public Tensor sub(Tensor other) { return ElementwiseOps.sub(this, other); }
    public Tensor mul(Tensor other) { return ElementwiseOps.mul(this, other); }
    public Tensor div(Tensor other) { return ElementwiseOps.div(this, other); }
    public Tensor maximum(Tensor other) { return ElementwiseOps.maximum(this, other); }
    public Tensor minimum(Tensor other) { return ElementwiseOps.minimum(this, other); }
    public Tensor add(float c) { return ElementwiseOps.addScalar(this, c); }
    public Tensor mul(float c) { return ElementwiseOps.scale(this, c); }
    public Tensor neg() { return ElementwiseOps.neg(this); }
    public Tensor exp() { return ElementwiseOps.exp(this); }
    public Tensor log() { return ElementwiseOps.log(this); }
    public Tensor sqrt() { return ElementwiseOps.sqrt(this); }
    public Tensor rsqrt() { return ElementwiseOps.rsqrt(this); }
    public Tensor tanh() { return ElementwiseOps.tanh(this); }
    public Tensor sigmoid() { return ElementwiseOps.sigmoid(this); }
    public Tensor relu() { return ElementwiseOps.relu(this); }
    public Tensor abs() { return ElementwiseOps.abs(this); }
    public Tensor square() { return ElementwiseOps.square(this); }
    public Tensor reciprocal() { return ElementwiseOps.reciprocal(this); }
    public Tensor pow(float p) { return ElementwiseOps.pow(this, p); }
    public Tensor clamp(float lo, float hi) { return ElementwiseOps.clamp(this, lo, hi); }

    /** Sum over one axis. */
    public Tensor sum(int axis, boolean keepDim) { return ReductionOps.sum(this, axis, keepDim); }
    public Tensor mean(int axis, boolean keepDim) { return ReductionOps.mean(this, axis, keepDim); }
    /** Max over one axis; the gradient goes to every position equal to the max. */
    public Tensor max(int axis, boolean keepDim) { return ReductionOps.max(this, axis, keepDim); }
    /** Sum of all elements, shape (1,). */
    public Tensor sum() { return ReductionOps.sumAll(this); }
    public Tensor mean() { return ReductionOps.meanAll(this); }

    /** Swaps two axes (a copy). */
    public Tensor transpose(int a, int b) { return ShapeOps.transpose(this, a, b); }
    /** Reorders axes (a copy). */
    public Tensor permute(int... order) { return ShapeOps.permute(this, order); }
    /** Elements {@code [start, end)} along an axis (a copy). */
    public Tensor slice(int axis, int start, int end) { return ShapeOps.slice(this, axis, start, end); }
    /** Splits along an axis into pieces of the given sizes. */
    public List<Tensor> split(int axis, int... sizes) { return ShapeOps.split(this, axis, sizes); }
    /** This tensor with {@code this[..., start:start+n, ...] = src} along axis, as a new tensor (differentiable). */
    public Tensor sliceAssign(int axis, int start, Tensor src) { return ShapeOps.sliceAssign(this, axis, start, src); }
    /** {@code this[..., start:start+n, ...] = src} along axis, in place and outside autograd (a KV cache); returns this. */
    public Tensor writeSlice(int axis, int start, Tensor src) { return ShapeOps.writeSlice(this, axis, start, src); }
    /** Broadcasts to a larger shape (a copy). */
    public Tensor expand(int... dims) { return ShapeOps.expand(this, Shape.of(dims)); }

    /** Matrix product over the last two axes, batched over the leading ones (numpy matmul rules). */
    public Tensor matmul(Tensor other) { return MatmulOps.matmul(this, other, false, false); }

    /**
     * {@code op(this) · op(other)}, where op transposes the last two axes when its flag is set: the transpose is read
     * in place, never copied.
     */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return MatmulOps.matmul(this, other, transposeThis, transposeOther);
    }

    /** Concatenates tensors along an axis. */
    public static Tensor concat(int axis, List<Tensor> parts) { return ShapeOps.concat(axis, parts); }

    public String describe() {
        return (name != null ? name + " " : "") + dtype + shape + " on " + backend.name();
    }

    @Override
    public String toString() {
        if (isReleased()) return "Tensor" + shape + " (released)";
        if (shape.size() > 16) return "Tensor" + shape + (requiresGrad ? " requires_grad" : "");
        return "Tensor" + shape + (dtype == DType.F32 ? Arrays.toString(toFloatArray()) : Arrays.toString(toIntArray()));
    }
}
