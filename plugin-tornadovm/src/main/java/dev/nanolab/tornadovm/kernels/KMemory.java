package dev.nanolab.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Fills, host uploads, and the kernel that opens the arenas on the device. */
public final class KMemory {
    /** Work-group size of the kernels that reduce in local memory (a power of two). */
    public static final int WG = 128;

    /** Slots of the status block at the start of the int arena: error code, position, value, limit. */
    public static final int STATUS_CODE = 0, STATUS_POSITION = 1, STATUS_VALUE = 2, STATUS_LIMIT = 3;
    public static final int ERR_EMBEDDING_ID = 1, ERR_TARGET = 2;

    private KMemory() {}

    /** Touches both arenas, so that the first graph of a plan moves them to the device. a: [] */
    public static void open(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        if (c.globalIdx == 0 && a.get(b) == 1) {
            h.set(0, h.get(0));
            ih.set(0, ih.get(0));
        }
    }

    /** h[off + i] = v. a: [off, n] f: [v] */
    public static void fillF(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int off = a.get(b), n = a.get(b + 1);
        float v = f.get(b);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) h.set(off + i, v);
    }

    /** ih[off + i] = v. a: [off, n, v] */
    public static void fillI(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int off = a.get(b), n = a.get(b + 1), v = a.get(b + 2);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) ih.set(off + i, v);
    }

    /** Upload: h[dst + i] = stage[i] for i < len. desc: [dst, len] */
    public static void uploadF(KernelContext c, FloatArray h, IntArray ih, FloatArray stage, IntArray desc) {
        int dst = desc.get(0), n = desc.get(1);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) h.set(dst + i, stage.get(i));
    }

    /** Upload: ih[dst + i] = stage[i] for i < len. desc: [dst, len] */
    public static void uploadI(KernelContext c, FloatArray h, IntArray ih, IntArray stage, IntArray desc) {
        int dst = desc.get(0), n = desc.get(1);
        for (int i = c.globalIdx; i < n; i += c.globalGroupSizeX) ih.set(dst + i, stage.get(i));
    }
}
