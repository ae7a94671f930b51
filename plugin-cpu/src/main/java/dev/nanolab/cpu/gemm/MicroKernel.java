package dev.nanolab.cpu.gemm;

import static dev.nanolab.cpu.gemm.GemmBlocking.LANES;
import static dev.nanolab.cpu.gemm.GemmBlocking.MR;
import static dev.nanolab.cpu.gemm.GemmBlocking.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled inner loop: one MR×NR tile of C from a packed A micro-panel and a packed B sliver.
 *
 * <p>Per step p of the k loop it loads one row of the B sliver (two vectors), broadcasts each of the MR values of the
 * A micro-panel's column p and does 2·MR fused multiply-adds into 24 accumulators held in registers. Written out by
 * hand, without helper methods: C2 keeps only named locals in registers, and a call it declines to inline (this
 * method is near its inlining node budget) would box every vector and run the Vector API's slow Java fallback.
 *
 * <p>Each C element is a single fma chain over p in order, then one add into C: the same bits whatever tile or thread
 * computes it, which is what makes the whole GEMM deterministic.
 */
final class MicroKernel {
    private MicroKernel() {}

    private static final VectorSpecies<Float> S = GemmBlocking.SPECIES;

    /**
     * {@code C[0:MR, 0:NR] (+)= Apanel · Bsliver} over depth {@code kc}.
     *
     * @param a   packed A micro-panel at {@code aIdx}: element (i, p) at {@code aIdx + p*MR + i}
     * @param b   packed B sliver at {@code bIdx}: element (p, j) at {@code bIdx + p*NR + j}
     * @param add add into C (true) or overwrite it (false; C is not read, so it may hold garbage)
     */
    static void multiply(int kc, float[] a, int aIdx, float[] b, int bIdx, float[] c, int cIdx, int ldc, boolean add) {
        FloatVector r0a = FloatVector.zero(S), r0b = FloatVector.zero(S),
                    r1a = FloatVector.zero(S), r1b = FloatVector.zero(S),
                    r2a = FloatVector.zero(S), r2b = FloatVector.zero(S),
                    r3a = FloatVector.zero(S), r3b = FloatVector.zero(S),
                    r4a = FloatVector.zero(S), r4b = FloatVector.zero(S),
                    r5a = FloatVector.zero(S), r5b = FloatVector.zero(S),
                    r6a = FloatVector.zero(S), r6b = FloatVector.zero(S),
                    r7a = FloatVector.zero(S), r7b = FloatVector.zero(S),
                    r8a = FloatVector.zero(S), r8b = FloatVector.zero(S),
                    r9a = FloatVector.zero(S), r9b = FloatVector.zero(S),
                    r10a = FloatVector.zero(S), r10b = FloatVector.zero(S),
                    r11a = FloatVector.zero(S), r11b = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aIdx + p * MR, bp = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + LANES);
            FloatVector ai;
            ai = FloatVector.broadcast(S, a[ap + 0]);  r0a = ai.fma(b0, r0a);  r0b = ai.fma(b1, r0b);
            ai = FloatVector.broadcast(S, a[ap + 1]);  r1a = ai.fma(b0, r1a);  r1b = ai.fma(b1, r1b);
            ai = FloatVector.broadcast(S, a[ap + 2]);  r2a = ai.fma(b0, r2a);  r2b = ai.fma(b1, r2b);
            ai = FloatVector.broadcast(S, a[ap + 3]);  r3a = ai.fma(b0, r3a);  r3b = ai.fma(b1, r3b);
            ai = FloatVector.broadcast(S, a[ap + 4]);  r4a = ai.fma(b0, r4a);  r4b = ai.fma(b1, r4b);
            ai = FloatVector.broadcast(S, a[ap + 5]);  r5a = ai.fma(b0, r5a);  r5b = ai.fma(b1, r5b);
            ai = FloatVector.broadcast(S, a[ap + 6]);  r6a = ai.fma(b0, r6a);  r6b = ai.fma(b1, r6b);
            ai = FloatVector.broadcast(S, a[ap + 7]);  r7a = ai.fma(b0, r7a);  r7b = ai.fma(b1, r7b);
            ai = FloatVector.broadcast(S, a[ap + 8]);  r8a = ai.fma(b0, r8a);  r8b = ai.fma(b1, r8b);
            ai = FloatVector.broadcast(S, a[ap + 9]);  r9a = ai.fma(b0, r9a);  r9b = ai.fma(b1, r9b);
            ai = FloatVector.broadcast(S, a[ap + 10]); r10a = ai.fma(b0, r10a); r10b = ai.fma(b1, r10b);
            ai = FloatVector.broadcast(S, a[ap + 11]); r11a = ai.fma(b0, r11a); r11b = ai.fma(b1, r11b);
        }
        if (add) {
            r0a = r0a.add(FloatVector.fromArray(S, c, cIdx +  0 * ldc));  r0b = r0b.add(FloatVector.fromArray(S, c, cIdx +  0 * ldc + LANES));
            r1a = r1a.add(FloatVector.fromArray(S, c, cIdx +  1 * ldc));  r1b = r1b.add(FloatVector.fromArray(S, c, cIdx +  1 * ldc + LANES));
            r2a = r2a.add(FloatVector.fromArray(S, c, cIdx +  2 * ldc));  r2b = r2b.add(FloatVector.fromArray(S, c, cIdx +  2 * ldc + LANES));
            r3a = r3a.add(FloatVector.fromArray(S, c, cIdx +  3 * ldc));  r3b = r3b.add(FloatVector.fromArray(S, c, cIdx +  3 * ldc + LANES));
            r4a = r4a.add(FloatVector.fromArray(S, c, cIdx +  4 * ldc));  r4b = r4b.add(FloatVector.fromArray(S, c, cIdx +  4 * ldc + LANES));
            r5a = r5a.add(FloatVector.fromArray(S, c, cIdx +  5 * ldc));  r5b = r5b.add(FloatVector.fromArray(S, c, cIdx +  5 * ldc + LANES));
            r6a = r6a.add(FloatVector.fromArray(S, c, cIdx +  6 * ldc));  r6b = r6b.add(FloatVector.fromArray(S, c, cIdx +  6 * ldc + LANES));
            r7a = r7a.add(FloatVector.fromArray(S, c, cIdx +  7 * ldc));  r7b = r7b.add(FloatVector.fromArray(S, c, cIdx +  7 * ldc + LANES));
            r8a = r8a.add(FloatVector.fromArray(S, c, cIdx +  8 * ldc));  r8b = r8b.add(FloatVector.fromArray(S, c, cIdx +  8 * ldc + LANES));
            r9a = r9a.add(FloatVector.fromArray(S, c, cIdx +  9 * ldc));  r9b = r9b.add(FloatVector.fromArray(S, c, cIdx +  9 * ldc + LANES));
            r10a = r10a.add(FloatVector.fromArray(S, c, cIdx + 10 * ldc)); r10b = r10b.add(FloatVector.fromArray(S, c, cIdx + 10 * ldc + LANES));
            r11a = r11a.add(FloatVector.fromArray(S, c, cIdx + 11 * ldc)); r11b = r11b.add(FloatVector.fromArray(S, c, cIdx + 11 * ldc + LANES));
        }
        r0a.intoArray(c, cIdx +  0 * ldc);  r0b.intoArray(c, cIdx +  0 * ldc + LANES);
        r1a.intoArray(c, cIdx +  1 * ldc);  r1b.intoArray(c, cIdx +  1 * ldc + LANES);
        r2a.intoArray(c, cIdx +  2 * ldc);  r2b.intoArray(c, cIdx +  2 * ldc + LANES);
        r3a.intoArray(c, cIdx +  3 * ldc);  r3b.intoArray(c, cIdx +  3 * ldc + LANES);
        r4a.intoArray(c, cIdx +  4 * ldc);  r4b.intoArray(c, cIdx +  4 * ldc + LANES);
        r5a.intoArray(c, cIdx +  5 * ldc);  r5b.intoArray(c, cIdx +  5 * ldc + LANES);
        r6a.intoArray(c, cIdx +  6 * ldc);  r6b.intoArray(c, cIdx +  6 * ldc + LANES);
        r7a.intoArray(c, cIdx +  7 * ldc);  r7b.intoArray(c, cIdx +  7 * ldc + LANES);
        r8a.intoArray(c, cIdx +  8 * ldc);  r8b.intoArray(c, cIdx +  8 * ldc + LANES);
        r9a.intoArray(c, cIdx +  9 * ldc);  r9b.intoArray(c, cIdx +  9 * ldc + LANES);
        r10a.intoArray(c, cIdx + 10 * ldc); r10b.intoArray(c, cIdx + 10 * ldc + LANES);
        r11a.intoArray(c, cIdx + 11 * ldc); r11b.intoArray(c, cIdx + 11 * ldc + LANES);
    }

    /**
     * Like {@link #multiply} for a tile at the bottom or right edge of C with only {@code rows × cols} valid: computes
     * the full tile into {@code scratch} (MR×NR floats), then adds or copies the valid part into C.
     */
    static void multiplyEdge(int kc, float[] a, int aIdx, float[] b, int bIdx, float[] c, int cIdx, int ldc,
                             int rows, int cols, boolean add, float[] scratch) {
        multiply(kc, a, aIdx, b, bIdx, scratch, 0, NR, false);
        VectorMask<Float> lo = S.indexInRange(0, cols), hi = S.indexInRange(LANES, cols);
        for (int i = 0; i < rows; i++, cIdx += ldc) {
            FloatVector tileLo = FloatVector.fromArray(S, scratch, i * NR);
            FloatVector tileHi = FloatVector.fromArray(S, scratch, i * NR + LANES);
            if (add) {
                tileLo = tileLo.add(FloatVector.fromArray(S, c, cIdx, lo));
                tileHi = tileHi.add(FloatVector.fromArray(S, c, cIdx + LANES, hi));
            }
            tileLo.intoArray(c, cIdx, lo);
            tileHi.intoArray(c, cIdx + LANES, hi);
        }
    }
}
