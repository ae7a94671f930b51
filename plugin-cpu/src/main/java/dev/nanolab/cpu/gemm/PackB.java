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
 * {@code p*NR + j}. Columns past the end of op(B) are zero. Nothing is written outside the slivers packed, so
 * threads may pack different slivers of one panel at once.
 */
final class PackB {
    private PackB() {}

    private static final VectorSpecies<Float> S = GemmBlocking.SPECIES;
    private static final int T = BlockTranspose.SIZE;

    /** Packs slivers {@code [s0, s1)} of the panel. */
    static void pack(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, int s0, int s1,
                     float[] dst) {
        for (int s = s0; s < s1; s++) {
            int j = j0 + s * NR, cols = Math.min(NR, nc - s * NR), d = s * NR * kc;
            if (transB) packColumns(b, bOff + j * ldb + p0, ldb, kc, cols, dst, d);
            else packSliver(b, bOff + p0 * ldb + j, ldb, kc, cols, dst, d);
        }
    }

    /** B stored k×n: a sliver row is a contiguous run; masked loads zero-fill the columns past {@code cols}. */
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

    /**
     * B stored n×k (element (p, j) at {@code src + j*ldb + p}): packing transposes, 16×16 blocks in registers (the
     * sliver's 2·16 columns are two blocks side by side, and NR = 32 = 2·16 exactly).
     */
    private static void packColumns(float[] b, int src, int ldb, int kc, int cols, float[] dst, int d) {
        int p = 0;
        if (BlockTranspose.SUPPORTED) {
            for (; p + T <= kc; p += T) {
                for (int half = 0; half < NR; half += T) {
                    int rows = Math.max(0, Math.min(T, cols - half));
                    BlockTranspose.transpose(b, src + half * ldb + p, ldb, rows, 1f, dst, d + p * NR + half, NR);
                }
            }
        }
        for (; p < kc; p++)
            for (int j = 0; j < NR; j++) dst[d + p * NR + j] = j < cols ? b[src + j * ldb + p] : 0f;
    }
}
