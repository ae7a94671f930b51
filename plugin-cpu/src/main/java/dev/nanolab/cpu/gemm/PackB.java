package dev.nanolab.cpu.gemm;

import static dev.nanolab.cpu.gemm.GemmBlocking.LANES;
import static dev.nanolab.cpu.gemm.GemmBlocking.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs a panel of op(B) (depth {@code [p0, p0+kc)}, columns {@code [j0, j0+nc)}) into NR-column slivers, so that the
 * micro-kernel reads B as one sequential stream whatever B's layout.
 *
 * <p>Packed layout: sliver s (columns {@code j0 + s*NR ..}) starts at {@code s*NR*kc}; in it element (p, j) is at
 * {@code p*NR + j}. Columns past the end of op(B) are zero.
 */
final class PackB {
    private PackB() {}

    private static final VectorSpecies<Float> S = GemmBlocking.SPECIES;

    /** Length of the gather index map {@link #pack} needs. */
    static final int INDEX_MAP_LENGTH = NR;

    /**
     * Packs slivers {@code [s0, s1)} of the panel (so that threads can share the work).
     *
     * @param colIndex scratch of {@link #INDEX_MAP_LENGTH} ints (overwritten), so that packing does not allocate
     */
    static void pack(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, int s0, int s1,
                     float[] dst, int[] colIndex) {
        if (transB) {
            // op(B) = Bᵀ, B stored n×k: a row of a sliver is NR values ldb apart; gather them.
            for (int j = 0; j < NR; j++) colIndex[j] = j * ldb;
        }
        for (int s = s0; s < s1; s++) {
            int j = j0 + s * NR, cols = Math.min(NR, nc - s * NR);
            int d = s * NR * kc;
            if (transB) {
                if (cols == NR) packTransposedSliver(b, bOff + j * ldb + p0, kc, dst, d, colIndex);
                else packTransposedEdge(b, bOff + j * ldb + p0, ldb, kc, cols, dst, d);
            } else {
                packSliver(b, bOff + p0 * ldb + j, ldb, kc, cols, dst, d);
            }
        }
    }

    /** B row-major: a sliver row is a contiguous run; masked loads zero-fill the columns past {@code cols}. */
    private static void packSliver(float[] b, int src, int ldb, int kc, int cols, float[] dst, int d) {
        if (cols == NR) {
            for (int p = 0; p < kc; p++, d += NR, src += ldb) {
                FloatVector.fromArray(S, b, src).intoArray(dst, d);
                FloatVector.fromArray(S, b, src + LANES).intoArray(dst, d + LANES);
            }
        } else {
            VectorMask<Float> lo = S.indexInRange(0, cols), hi = S.indexInRange(LANES, cols);
            for (int p = 0; p < kc; p++, d += NR, src += ldb) {
                FloatVector.fromArray(S, b, src, lo).intoArray(dst, d);
                FloatVector.fromArray(S, b, src + LANES, hi).intoArray(dst, d + LANES);
            }
        }
    }

    /** B stored n×k: element (p, j) at {@code src + j*ldb + p}, offsets in {@code colIndex}. */
    private static void packTransposedSliver(float[] b, int src, int kc, float[] dst, int d, int[] colIndex) {
        for (int p = 0; p < kc; p++, d += NR) {
            FloatVector.fromArray(S, b, src + p, colIndex, 0).intoArray(dst, d);
            FloatVector.fromArray(S, b, src + p, colIndex, LANES).intoArray(dst, d + LANES);
        }
    }

    private static void packTransposedEdge(float[] b, int src, int ldb, int kc, int cols, float[] dst, int d) {
        for (int p = 0; p < kc; p++, d += NR)
            for (int j = 0; j < NR; j++) dst[d + j] = j < cols ? b[src + j * ldb + p] : 0;
    }
}
