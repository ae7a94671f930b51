package dev.nanolab.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register and cache blocking of the SGEMM (BLIS/GotoBLAS structure), tuned on AMD Zen 4 (AVX-512, 32 KiB L1d and
 * 1 MiB L2 per core, 32 MiB L3).
 *
 * <p>The micro-kernel keeps an {@link #MR}×{@link #NR} tile of C in 24 vector registers (12 rows × 2 vectors), the
 * largest tile C2 keeps in the 32 zmm registers without spilling (14×2 spills and halves the speed); alone on packed,
 * cache-resident data it runs at one core's FMA peak, about 115 GFLOP/s. Around it:
 * <ul>
 *   <li>{@link #KC}, the depth of one rank-KC update, is large: each micro-kernel call then streams a 48 KiB A
 *       micro-panel and a 128 KiB B sliver from L2 (7 bytes a cycle, far below what L2 delivers), and C is read back
 *       and rewritten once per KC instead of once per 256. Measured single-threaded (CPU time, which a loaded machine
 *       disturbs least), the geometric mean over the training shapes went from 95 (KC 256) to 103 GFLOP/s;
 *       768 and 1024 were within noise. Training's K (128 to 768) then takes one step; 3072 three.</li>
 *   <li>{@link #MC_PANELS} micro-panels (48 rows) per packed A block (192 KiB, in L2): small blocks are many tasks, which
 *       balance well across threads; 2, 4 and 8 panels measured the same.</li>
 *   <li>{@link #NC}, the width of the shared packed B panel (KC×NC floats, 6 MiB, in L3): every KC×NC step is one
 *       hand-off between threads and one repacking of each A block, so it is wide.</li>
 * </ul>
 */
final class GemmBlocking {
    private GemmBlocking() {}

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector register (16 with AVX-512). */
    static final int LANES = SPECIES.length();
    /** Rows of the register tile. */
    static final int MR = 12;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * LANES;

    static final int KC = 1024;
    static final int MC_PANELS = 4;
    static final int NC = 1536 / NR * NR;

    /** Below this many multiply-adds (m·n·k) a product runs on the calling thread: handing off costs more. */
    static final long PARALLEL_MIN_FMAS = 1L << 18;
    /** Batched products up to this size run one per thread rather than each split over the threads. */
    static final long BATCH_SPLIT_MAX_FMAS = 1L << 24;
}
