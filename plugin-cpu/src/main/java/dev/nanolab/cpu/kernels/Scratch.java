package dev.nanolab.cpu.kernels;

/**
 * Per-thread scratch arrays that grow to the largest size asked for and are then reused, so kernels that need a
 * work buffer allocate nothing in steady state. A kernel may hold {@link #SLOTS} buffers at once.
 */
final class Scratch {
    static final int SLOTS = 12;
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

    private Scratch() {}

    /** Buffer {@code slot} of this thread, at least {@code size} long; contents are undefined. */
    static float[] get(int slot, int size) {
        float[][] b = BUFFERS.get();
        if (b[slot].length < size) b[slot] = new float[Math.max(size, b[slot].length * 3 / 2)];
        return b[slot];
    }
}
