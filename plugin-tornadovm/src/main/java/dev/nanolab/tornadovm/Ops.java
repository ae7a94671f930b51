package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Storage;

/** What every kernel group needs: arena indices of storages (checked) and the engine to launch on. */
abstract class Ops {
    final TornadoBackend backend;
    final TornadoMemory memory;
    final Engine engine;

    Ops(TornadoBackend backend) {
        this.backend = backend;
        this.memory = backend.memory();
        this.engine = backend.engine();
    }

    /** Arena index of element {@code offset} of an F32 storage, checking that n elements fit from there. */
    int f(Storage s, long offset, long n) {
        return memory.at(s, DType.F32, offset, n);
    }

    int f(Storage s, long n) {
        return f(s, 0, n);
    }

    /** Arena index of an optional F32 storage (0 when absent). */
    int fOpt(Storage s, long n) {
        return s == null ? 0 : f(s, 0, n);
    }

    int i(Storage s, long offset, long n) {
        return memory.at(s, DType.I32, offset, n);
    }

    void launch(KernelCall c) {
        engine.launch(c);
    }

    static int flag(boolean b) {
        return b ? 1 : 0;
    }

    static int[] ints(int... v) {
        return v;
    }

    /** A temporary F32 storage for partial results; released right after the calls that use it are issued. */
    Storage scratch(long n) {
        return memory.allocate(DType.F32, Math.max(1, n));
    }

    void release(Storage s) {
        memory.release(s);
    }

    static int intSize(long n, String what) {
        if (n < 0 || n > Integer.MAX_VALUE) throw new IllegalArgumentException(what + " " + n + " exceeds the tornadovm backend's 2^31 limit");
        return (int) n;
    }
}
