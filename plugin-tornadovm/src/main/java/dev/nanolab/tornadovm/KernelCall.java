package dev.nanolab.tornadovm;

import dev.nanolab.tornadovm.kernels.KMemory;

/**
 * One launch: the kernel, its int and float arguments, and its grid (global and local sizes; y is 1 for 1-D
 * kernels). Everything a launch needs travels in the arguments, so a recorded call can be replayed by any task of the
 * same kernel.
 */
record KernelCall(Kernel kernel, int[] ints, float[] floats, int globalX, int globalY, int localX, int localY) {
    /** Most work-groups a 1-D grid-stride kernel is launched with. */
    static final int MAX_GROUPS = 2048;
    /** Threads of a 1-D work-group: the size the work-group kernels' local arrays and reductions are written for. */
    static final int WG = KMemory.WG;

    /** A grid-stride kernel over n elements. */
    static KernelCall elementwise(Kernel k, long n, int[] ints, float... floats) {
        int groups = (int) Math.max(1, Math.min(MAX_GROUPS, (n + WG - 1) / WG));
        return new KernelCall(k, ints, floats, groups * WG, 1, WG, 1);
    }

    /** A kernel with one work-group of {@link #WG} threads per row (rows strided over the groups). */
    static KernelCall rows(Kernel k, long rows, int[] ints, float... floats) {
        int groups = (int) Math.max(1, Math.min(MAX_GROUPS * 4L, rows));
        return new KernelCall(k, ints, floats, groups * WG, 1, WG, 1);
    }

    /** A kernel run by one work-group. */
    static KernelCall single(Kernel k, int[] ints, float... floats) {
        return new KernelCall(k, ints, floats, WG, 1, WG, 1);
    }

    /** A 2-D kernel of tile × tile work-groups over (x, y) tiles. */
    static KernelCall tiles(Kernel k, long tilesX, long tilesY, int tile, int[] ints, float... floats) {
        int gx = (int) Math.max(1, Math.min(1024, tilesX)), gy = (int) Math.max(1, Math.min(1024, tilesY));
        return new KernelCall(k, ints, floats, gx * tile, gy * tile, tile, tile);
    }

    static int[] ints(int... v) {
        return v;
    }
}
