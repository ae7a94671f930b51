package dev.nanolab.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register and cache blocking of the SGEMM (BLIS/GotoBLAS structure), tuned on AMD Zen 4 (AVX-512, 32 KiB L1d,
 * 1 MiB L2 per core).
 *
 * <p>The micro-kernel keeps an {@link #MR}×{@link #NR} tile of C in 24 vector registers (12 rows × 2 vectors), which
 * is the largest tile C2 keeps in the 32 zmm registers without spilling; measured alone on packed data it runs at the
 * FMA peak of one core (about 115 GFLOP/s). The caches then decide the rest:
 * <ul>
 *   <li>{@link #KC}: the depth of one rank-KC update; a packed B sliver (KC×NR floats) is what each micro-kernel call
 *       streams once per A micro-panel, so it should stay near L1;</li>
 *   <li>{@link #MC_PANELS}: how many MR-row micro-panels one packed A block holds (MC×KC floats, kept in L2);</li>
 *   <li>{@link #NC}: the width of the shared packed B panel (KC×NC floats, in L2/L3); every NC×KC step costs two
 *       thread hand-offs, so it is wide.</li>
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

    static final int KC = Integer.getInteger("nanolab.gemm.kc", 256);
    static final int MC_PANELS = Integer.getInteger("nanolab.gemm.mcPanels", 16);
    static final int NC = Integer.getInteger("nanolab.gemm.nc", 1536) / NR * NR;

    /** Below this many multiply-adds (m·n·k) a product runs on the calling thread: waking workers costs more. */
    static final long PARALLEL_MIN_FMAS = Long.getLong("nanolab.gemm.parallelMin", 1L << 18);
    /** Batched products up to this size run one per thread rather than each split over the threads. */
    static final long BATCH_SPLIT_MAX_FMAS = 1L << 24;
}
