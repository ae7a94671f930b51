package dev.nanolab.cpu.gemm;

import static dev.nanolab.cpu.gemm.GemmBlocking.KC;
import static dev.nanolab.cpu.gemm.GemmBlocking.MC_PANELS;
import static dev.nanolab.cpu.gemm.GemmBlocking.MR;
import static dev.nanolab.cpu.gemm.GemmBlocking.NC;
import static dev.nanolab.cpu.gemm.GemmBlocking.NR;

import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One blocked GEMM, on the calling thread or on all workers of a pool. Loop nest (BLIS):
 * <pre>
 * for jc in n step NC:                  // one step = a KC×NC panel of B, packed once, shared by all threads
 *   for pc in k step KC:                // one parallel region per step (WorkerPool.runShared):
 *     pack B[pc:pc+KC, jc:jc+NC]        //   threads take slivers to pack, then wait until all are packed
 *     for each task (A block × sliver group), taken by whichever thread is free:
 *       pack A[block rows, pc:pc+KC]    //   into the thread's own buffer
 *       for jr in slivers: for ir in micro-panels: micro-kernel into C[ir.., jc+jr..]
 * </pre>
 * Work is handed out dynamically (atomic counters), so a thread that the OS has descheduled holds up no more than the
 * task it is in. A C element is always accumulated over the same KC blocks in the same order by one micro-kernel call
 * per block, so the result does not depend on the number of threads nor on which thread took which task.
 *
 * <p>Reused across calls (one per thread, in {@link GemmWorkspace}); not thread-safe beyond that.
 */
final class GemmJob implements WorkerPool.Region {
    /** Slivers of B packing handed out at a time. */
    private static final int PACK_CHUNK = 2;

    private final GemmWorkspace owner;
    private final AtomicInteger nextSliver = new AtomicInteger(), packedSlivers = new AtomicInteger();
    private final AtomicInteger nextTask = new AtomicInteger();

    // The product.
    private boolean transA, transB, accumulate;
    private int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
    private float alpha;
    private float[] a, b, c;

    // The decomposition: A blocks are runs of micro-panels, split evenly; groups are runs of slivers.
    private int panels, mBlocks, maxBlockPanels;

    // The current step.
    private boolean add;
    private int jc, nc, pc, kc, slivers, nGroups;
    private float[] packedB;

    GemmJob(GemmWorkspace owner) {
        this.owner = owner;
    }

    /** Runs the product; on {@code pool}'s workers, or on this thread when {@code pool} is null. */
    void multiply(WorkerPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                  boolean accumulate, float[] c, int cOff, int ldc) {
        this.transA = transA; this.transB = transB; this.m = m; this.n = n; this.k = k; this.alpha = alpha;
        this.a = a; this.aOff = aOff; this.lda = lda; this.b = b; this.bOff = bOff; this.ldb = ldb;
        this.accumulate = accumulate; this.c = c; this.cOff = cOff; this.ldc = ldc;
        int threads = pool == null ? 1 : pool.threads();
        try {
            panels = (m + MR - 1) / MR;
            mBlocks = (panels + MC_PANELS - 1) / MC_PANELS;
            if (threads > 1) mBlocks = Math.min(panels, (mBlocks + threads - 1) / threads * threads);
            maxBlockPanels = (panels + mBlocks - 1) / mBlocks;
            packedB = owner.packedB(Math.min(k, KC) * ((Math.min(n, NC) + NR - 1) / NR * NR));
            for (jc = 0; jc < n; jc += NC) {
                nc = Math.min(NC, n - jc);
                slivers = (nc + NR - 1) / NR;
                // Too few A blocks to keep every thread busy (small m): split the columns too.
                nGroups = mBlocks >= threads ? 1 : Math.min(slivers, (threads + mBlocks - 1) / mBlocks);
                for (pc = 0; pc < k; pc += KC) {
                    kc = Math.min(KC, k - pc);
                    add = accumulate || pc > 0;
                    nextSliver.set(0);
                    packedSlivers.set(0);
                    nextTask.set(0);
                    if (pool == null) run(0, 1); else pool.runShared(this);
                }
            }
        } finally {
            this.a = null; this.b = null; this.c = null; // do not keep the caller's arrays alive
        }
    }

    @Override
    public void run(int worker, int workers) {
        GemmWorkspace mine = GemmWorkspace.current();
        for (int s0; (s0 = nextSliver.getAndAdd(PACK_CHUNK)) < slivers; ) {
            int s1 = Math.min(slivers, s0 + PACK_CHUNK);
            PackB.pack(transB, b, bOff, ldb, pc, kc, jc, nc, s0, s1, packedB);
            packedSlivers.addAndGet(s1 - s0);
        }
        while (packedSlivers.get() < slivers) Thread.onSpinWait(); // the others finish the slivers they took

        float[] packedA = mine.packedA(maxBlockPanels * MR * kc + PackA.SLACK);
        int tasks = mBlocks * nGroups, packedBlock = -1;
        for (int t; (t = nextTask.getAndIncrement()) < tasks; ) {
            int block = t / nGroups, group = t % nGroups;
            int q0 = (int) ((long) panels * block / mBlocks), q1 = (int) ((long) panels * (block + 1) / mBlocks);
            int i0 = q0 * MR;
            if (block != packedBlock) {
                PackA.pack(transA, alpha, a, aOff, lda, i0, Math.min(m, q1 * MR) - i0, pc, kc, packedA);
                packedBlock = block;
            }
            int s0 = (int) ((long) slivers * group / nGroups), s1 = (int) ((long) slivers * (group + 1) / nGroups);
            for (int s = s0; s < s1; s++) {
                int j = s * NR, cols = Math.min(NR, nc - j);
                for (int q = q0; q < q1; q++) {
                    int i = q * MR, rows = Math.min(MR, m - i), aIdx = (q - q0) * MR * kc, bIdx = s * NR * kc;
                    int cIdx = cOff + i * ldc + jc + j;
                    if (rows == MR && cols == NR) {
                        MicroKernel.multiply(kc, packedA, aIdx, packedB, bIdx, c, cIdx, ldc, add);
                    } else {
                        MicroKernel.multiplyEdge(kc, packedA, aIdx, packedB, bIdx, c, cIdx, ldc, rows, cols, add,
                                mine.edgeTile);
                    }
                }
            }
        }
    }
}
