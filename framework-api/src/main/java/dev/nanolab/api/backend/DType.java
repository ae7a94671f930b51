package dev.nanolab.api.backend;

/** Element types of tensor storage: float32 for values, int32 for token ids and targets. */
public enum DType {
    F32(4), I32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
