package dev.nanolab.cpu.gemm;

/**
 * One thread's packing buffers and reusable job objects, created once per thread and grown on demand, so that a
 * GEMM in steady state allocates nothing.
 *
 * <p>The packed A block is private to the thread that packed it; the packed B panel of a parallel product belongs to
 * the calling thread's workspace and is shared read-only by the workers between two hand-offs.
 */
final class GemmWorkspace {
    private static final ThreadLocal<GemmWorkspace> CURRENT = ThreadLocal.withInitial(GemmWorkspace::new);

    static GemmWorkspace current() {
        return CURRENT.get();
    }

    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    final float[] edgeTile = new float[GemmBlocking.MR * GemmBlocking.NR];
    final GemmJob job = new GemmJob(this);
    final BatchJob batchJob = new BatchJob();

    private GemmWorkspace() {}

    float[] packedA(int floats) {
        if (packedA.length < floats) packedA = new float[floats];
        return packedA;
    }

    float[] packedB(int floats) {
        if (packedB.length < floats) packedB = new float[floats];
        return packedB;
    }
}
