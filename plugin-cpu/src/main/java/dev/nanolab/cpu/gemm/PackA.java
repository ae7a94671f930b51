package dev.nanolab.cpu.gemm;

import static dev.nanolab.cpu.gemm.GemmBlocking.LANES;
import static dev.nanolab.cpu.gemm.GemmBlocking.MR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs a block of op(A) (rows {@code [i0, i0+mc)}, depth {@code [p0, p0+kc)}) into MR-row micro-panels, scaled by
 * alpha, so that the micro-kernel reads A as one sequential stream whatever A's layout.
 *
 * <p>Packed layout: micro-panel q (rows {@code i0 + q*MR ..}) starts at {@code q*MR*kc}; in it element (i, p) is at
 * {@code p*MR + i}. Rows past the end of op(A) are zero, so the kernel may always compute full MR rows.
 */
final class PackA {
    private PackA() {}

    private static final VectorSpecies<Float> S = GemmBlocking.SPECIES;
    /** Lanes of a packed column that hold real rows (the first MR of each vector chunk). */
    private static final VectorMask<Float> FIRST_CHUNK_MASK = S.indexInRange(0, MR);

    /** Length of the gather index map {@link #pack} needs. */
    static final int INDEX_MAP_LENGTH = (MR + LANES - 1) / LANES * LANES;

    /**
     * @param rowIndex scratch of {@link #INDEX_MAP_LENGTH} ints (overwritten), so that packing does not allocate
     */
    static void pack(boolean transA, float alpha, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                     float[] dst, int[] rowIndex) {
        if (!transA) {
            // op(A) = A, stored m×k: a column of a micro-panel is MR values lda apart; gather them.
            for (int i = 0; i < INDEX_MAP_LENGTH; i++) rowIndex[i] = i < MR ? i * lda : 0;
        }
        for (int q = 0, i = 0; i < mc; q++, i += MR) {
            int rows = Math.min(MR, mc - i);
            int d = q * MR * kc;
            if (rows < MR) packEdge(transA, alpha, a, aOff, lda, i0 + i, rows, p0, kc, dst, d);
            else if (transA) packTransposedPanel(alpha, a, aOff + p0 * lda + i0 + i, lda, kc, dst, d);
            else packPanel(alpha, a, aOff + (i0 + i) * lda + p0, kc, dst, d, rowIndex);
        }
    }

    /** A row-major: element (i, p) at {@code src + i*lda + p}, offsets in {@code rowIndex}. */
    private static void packPanel(float alpha, float[] a, int src, int kc, float[] dst, int d, int[] rowIndex) {
        for (int p = 0; p < kc; p++, d += MR) {
            for (int c = 0; c < MR; c += LANES) {
                VectorMask<Float> m = c == 0 ? FIRST_CHUNK_MASK : S.indexInRange(c, MR);
                FloatVector.fromArray(S, a, src + p, rowIndex, c).mul(alpha).intoArray(dst, d + c, m);
            }
        }
    }

    /** A stored k×m: element (i, p) at {@code src + p*lda + i}, so a packed column is a contiguous run. */
    private static void packTransposedPanel(float alpha, float[] a, int src, int lda, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, d += MR, src += lda) {
            for (int c = 0; c < MR; c += LANES) {
                VectorMask<Float> m = c == 0 ? FIRST_CHUNK_MASK : S.indexInRange(c, MR);
                FloatVector.fromArray(S, a, src + c, m).mul(alpha).intoArray(dst, d + c, m);
            }
        }
    }

    /** The last, partial micro-panel: scalar, zero-filling rows {@code rows..MR-1}. */
    private static void packEdge(boolean transA, float alpha, float[] a, int aOff, int lda, int row, int rows,
                                 int p0, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, d += MR) {
            for (int i = 0; i < MR; i++) {
                float v = 0;
                if (i < rows) v = alpha * (transA ? a[aOff + (p0 + p) * lda + row + i] : a[aOff + (row + i) * lda + p0 + p]);
                dst[d + i] = v;
            }
        }
    }
}
