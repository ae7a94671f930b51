package dev.nanolab.api.backend;

/**
 * A block of device memory owned by a {@link Backend}: a flat array of {@link #size()} elements of one
 * {@link DType}. Only its backend's kernels read or write it; the host sees its contents only through
 * {@link Memory#read} and {@link Memory#write}, so a GPU backend can keep it on the device.
 */
public interface Storage {
    Backend backend();

    DType dtype();

    /** Number of elements. */
    long size();
}
