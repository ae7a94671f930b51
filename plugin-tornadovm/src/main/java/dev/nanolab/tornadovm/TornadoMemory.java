package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Memory;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.tornadovm.kernels.KMemory;

/**
 * Device memory: storages are ranges of the two arenas that stay on the device; the host sees them only through
 * {@link #read} and {@link #write}, each one transfer of exactly the range asked for. Fills are kernels.
 *
 * <p>With poisoning on (tests), every allocation is filled with NaN (F32) or {@link Integer#MIN_VALUE} (I32).
 */
final class TornadoMemory implements Memory {
    /** Int-arena elements kept for the kernels' status block. */
    static final int RESERVED_INTS = 16;
    private final TornadoBackend backend;
    private final Engine engine;
    private final Arena floats, ints;
    private final boolean poison;

    TornadoMemory(TornadoBackend backend, Engine engine, boolean poison) {
        this.backend = backend;
        this.engine = engine;
        this.poison = poison;
        this.floats = new Arena("float32", 0, (int) engine.heap.getSize());
        this.ints = new Arena("int32", RESERVED_INTS, (int) engine.iheap.getSize());
        engine.highWater(0, RESERVED_INTS);
    }

    @Override
    public Storage allocate(DType dtype, long size) {
        if (size < 0) throw new IllegalArgumentException("negative storage size " + size);
        Arena arena = dtype == DType.F32 ? floats : ints;
        int off = arena.allocate(size);
        engine.highWater(floats.top(), ints.top());
        TornadoStorage s = new TornadoStorage(backend, dtype, off, size);
        if (poison && size > 0) fill(s, 0, size, dtype == DType.F32 ? Float.NaN : Integer.MIN_VALUE);
        return s;
    }

    @Override
    public void release(Storage storage) {
        TornadoStorage s = of(storage);
        if (s.released) throw new IllegalStateException("storage released twice");
        s.released = true;
        (s.dtype() == DType.F32 ? floats : ints).release(s.offset, s.size());
    }

    @Override
    public void write(Storage dst, long dstOffset, float[] src, int srcOffset, int length) {
        engine.write(at(dst, DType.F32, dstOffset, length), src, srcOffset, length);
    }

    @Override
    public void write(Storage dst, long dstOffset, int[] src, int srcOffset, int length) {
        engine.write(at(dst, DType.I32, dstOffset, length), src, srcOffset, length);
    }

    @Override
    public void read(Storage src, long srcOffset, float[] dst, int dstOffset, int length) {
        engine.read(at(src, DType.F32, srcOffset, length), dst, dstOffset, length);
    }

    @Override
    public void read(Storage src, long srcOffset, int[] dst, int dstOffset, int length) {
        engine.read(at(src, DType.I32, srcOffset, length), dst, dstOffset, length);
    }

    @Override
    public void fill(Storage dst, long offset, long length, float value) {
        if (length == 0) return;
        if (dst.dtype() == DType.F32)
            engine.launch(KernelCall.elementwise(Kernel.FILL_F, length, KernelCall.ints(at(dst, DType.F32, offset, length), (int) length), value));
        else
            engine.launch(KernelCall.elementwise(Kernel.FILL_I, length, KernelCall.ints(at(dst, DType.I32, offset, length), (int) length, (int) value)));
    }

    @Override
    public long allocatedBytes() {
        return (long) floats.top() * Float.BYTES + (long) ints.top() * Integer.BYTES;
    }

    /** Elements of each arena, for reports. */
    String describe() {
        return "float arena " + floats.capacity() + " elements (" + floats.inUse() + " in use), int arena "
                + ints.capacity() + " elements (" + ints.inUse() + " in use)";
    }

    TornadoStorage of(Storage s) {
        if (!(s instanceof TornadoStorage t) || s.backend() != backend)
            throw new IllegalArgumentException("storage of backend '" + (s == null ? "null" : s.backend().name())
                    + "' given to the tornadovm backend; tensors of two backends cannot be mixed");
        if (t.released) throw new IllegalStateException("storage used after it was released");
        return t;
    }

    /** The arena index of element {@code offset} of {@code s}, checking type and that [offset, offset+n) fits. */
    int at(Storage s, DType dtype, long offset, long n) {
        TornadoStorage t = of(s);
        if (t.dtype() != dtype) throw new IllegalArgumentException("expected an " + dtype + " storage, got " + t.dtype());
        if (offset < 0 || n < 0 || offset + n > t.size())
            throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + n) + ") outside a storage of " + t.size());
        return t.offset + (int) offset;
    }

    static {
        assert KMemory.STATUS_LIMIT < RESERVED_INTS;
    }
}
