package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Storage;

/** A range of one of the device arenas: F32 storages in the float arena, I32 storages in the int arena. */
final class TornadoStorage implements Storage {
    private final Backend backend;
    private final DType dtype;
    final int offset;
    private final long size;
    boolean released;

    TornadoStorage(Backend backend, DType dtype, int offset, long size) {
        this.backend = backend;
        this.dtype = dtype;
        this.offset = offset;
        this.size = size;
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
        return size;
    }

    @Override
    public String toString() {
        return "TornadoStorage[" + dtype + " " + size + " @" + offset + (released ? ", released" : "") + "]";
    }
}
