package dev.nanolab.cpu.memory;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Storage;

/** Heap storage: a float[] for F32, an int[] for I32. */
public final class CpuStorage implements Storage {
    private final Backend backend;
    private final DType dtype;
    final float[] floats;
    final int[] ints;
    boolean pooled;

    CpuStorage(Backend backend, DType dtype, int size) {
        this.backend = backend;
        this.dtype = dtype;
        this.floats = dtype == DType.F32 ? new float[size] : null;
        this.ints = dtype == DType.I32 ? new int[size] : null;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return dtype == DType.F32 ? floats.length : ints.length;
    }

    /** The values of an F32 storage of this backend; anything else is a clear error. */
    public static float[] floats(Storage s) {
        if (!(s instanceof CpuStorage c)) throw foreign(s);
        if (c.floats == null) throw new IllegalArgumentException("expected an F32 storage, got " + s.dtype());
        if (c.pooled) throw new IllegalStateException("storage used after it was released");
        return c.floats;
    }

    /** The values of an I32 storage of this backend. */
    public static int[] ints(Storage s) {
        if (!(s instanceof CpuStorage c)) throw foreign(s);
        if (c.ints == null) throw new IllegalArgumentException("expected an I32 storage, got " + s.dtype());
        if (c.pooled) throw new IllegalStateException("storage used after it was released");
        return c.ints;
    }

    /** F32 values or null when the storage is null (optional kernel arguments). */
    public static float[] floatsOrNull(Storage s) {
        return s == null ? null : floats(s);
    }

    private static IllegalArgumentException foreign(Storage s) {
        return new IllegalArgumentException("storage of backend '" + (s == null ? "null" : s.backend().name())
                + "' given to the cpu backend; tensors of two backends cannot be mixed");
    }
}
