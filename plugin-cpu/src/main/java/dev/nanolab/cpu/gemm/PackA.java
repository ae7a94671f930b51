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
 *
 * <p>A packed column (MR floats) is written as a whole vector whose tail the next column overwrites, because masked
 * stores are slow on Zen 4; so the destination needs {@link #SLACK} floats of room past the packed block, and every
 * column is written before the one after it.
 */
final class PackA {
    private PackA() {}

    private static final VectorSpecies<Float> S = GemmBlocking.SPECIES;
    private static final int T = BlockTranspose.SIZE;

    /** The lanes of a packed column's first vector that are rows of the micro-panel. */
    private static final VectorMask<Float> FIRST_CHUNK = S.indexInRange(0, MR);

    /** The lanes of the packed column's vector starting at row c that are rows of the micro-panel. */
    private static VectorMask<Float> chunk(int c) {
        return c == 0 ? FIRST_CHUNK : S.indexInRange(c, MR);
    }

    /** Floats the packing may write past the end of the packed block. */
    static final int SLACK = Math.max(LANES, T);

    static void pack(boolean transA, float alpha, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                     float[] dst) {
        if (transA) {
            packTransposed(alpha, a, aOff + p0 * lda + i0, lda, mc, kc, dst);
            return;
        }
        for (int q = 0, i = 0; i < mc; q++, i += MR)
            packRows(alpha, a, aOff + (i0 + i) * lda + p0, lda, Math.min(MR, mc - i), kc, dst, q * MR * kc);
    }

    /** A stored m×k (element (i, p) at {@code src + i*lda + p}): packing transposes, 16×16 blocks in registers. */
    private static void packRows(float alpha, float[] a, int src, int lda, int rows, int kc, float[] dst, int d) {
        int p = 0;
        if (BlockTranspose.SUPPORTED) {
            for (; p + T <= kc; p += T) BlockTranspose.transpose(a, src + p, lda, rows, alpha, dst, d + p * MR, MR);
        }
        for (; p < kc; p++)
            for (int i = 0; i < MR; i++) dst[d + p * MR + i] = i < rows ? alpha * a[src + i * lda + p] : 0f;
    }

    /**
     * A stored k×m (element (i, p) at {@code src + p*lda + i}): a packed column is a contiguous run. Goes along p for
     * all micro-panels of the block at once, so that each row of A is read once: panel by panel, a 1024-deep block
     * walked all its rows, each on its own page when lda is large, once per panel (1.1 instead of 0.35-0.5 ns per
     * element with lda = 8192).
     */
    private static void packTransposed(float alpha, float[] a, int src, int lda, int mc, int kc, float[] dst) {
        for (int p = 0; p < kc - 1; p++) {
            for (int i = 0; i < mc; i += MR) {
                int rows = Math.min(MR, mc - i), d = i * kc + p * MR;
                for (int c = 0; c < MR; c += LANES)
                    column(alpha, a, src + p * lda + i + c, rows - c).intoArray(dst, d + c);
            }
        }
        // The last column: a whole-vector store would run into the next micro-panel, already packed.
        for (int i = 0; i < mc; i += MR) {
            int rows = Math.min(MR, mc - i), d = i * kc + (kc - 1) * MR;
            for (int c = 0; c < MR; c += LANES)
                column(alpha, a, src + (kc - 1) * lda + i + c, rows - c).intoArray(dst, d + c, chunk(c));
        }
    }

    /** {@code alpha · a[at .. at+LANES)}, zero past {@code rows} (masked loads are cheap, masked stores are not). */
    private static FloatVector column(float alpha, float[] a, int at, int rows) {
        VectorMask<Float> valid = rows >= MR ? FIRST_CHUNK : S.indexInRange(0, rows);
        return FloatVector.fromArray(S, a, at, valid).mul(alpha);
    }
}
