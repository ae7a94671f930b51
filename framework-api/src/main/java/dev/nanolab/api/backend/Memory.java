package dev.nanolab.api.backend;

/**
 * Allocation and host transfers. Allocation is from a pool: a storage released and then asked for again with the
 * same type and size is handed back, so a training step that allocates the same shapes in the same order every
 * time allocates nothing in steady state.
 */
public interface Memory {
    /** A storage of {@code size} elements; its contents are undefined until written. */
    Storage allocate(DType dtype, long size);

    /** Returns a storage to the pool. It must not be used afterwards. */
    void release(Storage storage);

    void write(Storage dst, long dstOffset, float[] src, int srcOffset, int length);

    void write(Storage dst, long dstOffset, int[] src, int srcOffset, int length);

    void read(Storage src, long srcOffset, float[] dst, int dstOffset, int length);

    void read(Storage src, long srcOffset, int[] dst, int dstOffset, int length);

    /** Sets {@code length} elements from {@code offset} to {@code value} (converted to int for I32). */
    void fill(Storage dst, long offset, long length, float value);

    /** Bytes currently allocated (in use or pooled), for memory reports. */
    long allocatedBytes();
}
