package dev.nanolab.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes 16×16 blocks of floats in registers, for packing the operands whose packed rows run across their stored
 * rows (A not transposed, B transposed).
 *
 * <p>Why not gathers: measured on Zen 4, packing a 192×256 block of row-major A with 16-lane gathers (and masked
 * stores) took 0.58 ns per element and a transposed B sliver 0.95 ns; this network of 64 two-source permutes
 * ({@code selectFrom}, a vpermi2ps each) with plain loads and stores takes 0.27 ns. The network swaps the off-diagonal
 * h×h sub-blocks of every 2h×2h block for h = 8, 4, 2, 1.
 */
final class BlockTranspose {
    private BlockTranspose() {}

    static final int SIZE = 16;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;

    /** Whether this machine has 16-float vectors; without them packing uses scalar loops. */
    static final boolean SUPPORTED = GemmBlocking.LANES == SIZE;

    // Lane indices into (row r, row r+h) for the pair (new row r, new row r+h) at each stage h.
    private static final FloatVector LO8 = lowIndices(8), HI8 = highIndices(8), LO4 = lowIndices(4), HI4 = highIndices(4),
            LO2 = lowIndices(2), HI2 = highIndices(2), LO1 = lowIndices(1), HI1 = highIndices(1);

    private static FloatVector lowIndices(int h) {
        float[] idx = new float[SIZE];
        for (int l = 0; l < SIZE; l++) idx[l] = (l & h) == 0 ? l : SIZE + l - h;
        return FloatVector.fromArray(S, idx, 0);
    }

    private static FloatVector highIndices(int h) {
        float[] idx = new float[SIZE];
        for (int l = 0; l < SIZE; l++) idx[l] = (l & h) == 0 ? l + h : SIZE + l;
        return FloatVector.fromArray(S, idx, 0);
    }

    /**
     * Reads rows {@code 0..rows-1} of a 16-column block ({@code src[s + r*ld + c]}, rows past {@code rows} taken as
     * zero), scales them by {@code scale}, and writes column c as 16 contiguous floats at {@code dst[d + c*dstStride]},
     * for c = 0..15 in increasing order. With {@code dstStride < 16} the writes overlap, each one overwriting the
     * previous one's tail, so the last one writes {@code 16 - dstStride} floats past the block: the caller must
     * overwrite or not care about them (and have room for them).
     */
    static void transpose(float[] src, int s, int ld, int rows, float scale, float[] dst, int d, int dstStride) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector r0 = 0 < rows ? FloatVector.fromArray(S, src, s + 0 * ld).mul(scale) : zero;
        FloatVector r1 = 1 < rows ? FloatVector.fromArray(S, src, s + 1 * ld).mul(scale) : zero;
        FloatVector r2 = 2 < rows ? FloatVector.fromArray(S, src, s + 2 * ld).mul(scale) : zero;
        FloatVector r3 = 3 < rows ? FloatVector.fromArray(S, src, s + 3 * ld).mul(scale) : zero;
        FloatVector r4 = 4 < rows ? FloatVector.fromArray(S, src, s + 4 * ld).mul(scale) : zero;
        FloatVector r5 = 5 < rows ? FloatVector.fromArray(S, src, s + 5 * ld).mul(scale) : zero;
        FloatVector r6 = 6 < rows ? FloatVector.fromArray(S, src, s + 6 * ld).mul(scale) : zero;
        FloatVector r7 = 7 < rows ? FloatVector.fromArray(S, src, s + 7 * ld).mul(scale) : zero;
        FloatVector r8 = 8 < rows ? FloatVector.fromArray(S, src, s + 8 * ld).mul(scale) : zero;
        FloatVector r9 = 9 < rows ? FloatVector.fromArray(S, src, s + 9 * ld).mul(scale) : zero;
        FloatVector r10 = 10 < rows ? FloatVector.fromArray(S, src, s + 10 * ld).mul(scale) : zero;
        FloatVector r11 = 11 < rows ? FloatVector.fromArray(S, src, s + 11 * ld).mul(scale) : zero;
        FloatVector r12 = 12 < rows ? FloatVector.fromArray(S, src, s + 12 * ld).mul(scale) : zero;
        FloatVector r13 = 13 < rows ? FloatVector.fromArray(S, src, s + 13 * ld).mul(scale) : zero;
        FloatVector r14 = 14 < rows ? FloatVector.fromArray(S, src, s + 14 * ld).mul(scale) : zero;
        FloatVector r15 = 15 < rows ? FloatVector.fromArray(S, src, s + 15 * ld).mul(scale) : zero;
        FloatVector t0;
        // h = 8
        t0 = LO8.selectFrom(r0, r8); r8 = HI8.selectFrom(r0, r8); r0 = t0;
        t0 = LO8.selectFrom(r1, r9); r9 = HI8.selectFrom(r1, r9); r1 = t0;
        t0 = LO8.selectFrom(r2, r10); r10 = HI8.selectFrom(r2, r10); r2 = t0;
        t0 = LO8.selectFrom(r3, r11); r11 = HI8.selectFrom(r3, r11); r3 = t0;
        t0 = LO8.selectFrom(r4, r12); r12 = HI8.selectFrom(r4, r12); r4 = t0;
        t0 = LO8.selectFrom(r5, r13); r13 = HI8.selectFrom(r5, r13); r5 = t0;
        t0 = LO8.selectFrom(r6, r14); r14 = HI8.selectFrom(r6, r14); r6 = t0;
        t0 = LO8.selectFrom(r7, r15); r15 = HI8.selectFrom(r7, r15); r7 = t0;
        // h = 4
        t0 = LO4.selectFrom(r0, r4); r4 = HI4.selectFrom(r0, r4); r0 = t0;
        t0 = LO4.selectFrom(r1, r5); r5 = HI4.selectFrom(r1, r5); r1 = t0;
        t0 = LO4.selectFrom(r2, r6); r6 = HI4.selectFrom(r2, r6); r2 = t0;
        t0 = LO4.selectFrom(r3, r7); r7 = HI4.selectFrom(r3, r7); r3 = t0;
        t0 = LO4.selectFrom(r8, r12); r12 = HI4.selectFrom(r8, r12); r8 = t0;
        t0 = LO4.selectFrom(r9, r13); r13 = HI4.selectFrom(r9, r13); r9 = t0;
        t0 = LO4.selectFrom(r10, r14); r14 = HI4.selectFrom(r10, r14); r10 = t0;
        t0 = LO4.selectFrom(r11, r15); r15 = HI4.selectFrom(r11, r15); r11 = t0;
        // h = 2
        t0 = LO2.selectFrom(r0, r2); r2 = HI2.selectFrom(r0, r2); r0 = t0;
        t0 = LO2.selectFrom(r1, r3); r3 = HI2.selectFrom(r1, r3); r1 = t0;
        t0 = LO2.selectFrom(r4, r6); r6 = HI2.selectFrom(r4, r6); r4 = t0;
        t0 = LO2.selectFrom(r5, r7); r7 = HI2.selectFrom(r5, r7); r5 = t0;
        t0 = LO2.selectFrom(r8, r10); r10 = HI2.selectFrom(r8, r10); r8 = t0;
        t0 = LO2.selectFrom(r9, r11); r11 = HI2.selectFrom(r9, r11); r9 = t0;
        t0 = LO2.selectFrom(r12, r14); r14 = HI2.selectFrom(r12, r14); r12 = t0;
        t0 = LO2.selectFrom(r13, r15); r15 = HI2.selectFrom(r13, r15); r13 = t0;
        // h = 1
        t0 = LO1.selectFrom(r0, r1); r1 = HI1.selectFrom(r0, r1); r0 = t0;
        t0 = LO1.selectFrom(r2, r3); r3 = HI1.selectFrom(r2, r3); r2 = t0;
        t0 = LO1.selectFrom(r4, r5); r5 = HI1.selectFrom(r4, r5); r4 = t0;
        t0 = LO1.selectFrom(r6, r7); r7 = HI1.selectFrom(r6, r7); r6 = t0;
        t0 = LO1.selectFrom(r8, r9); r9 = HI1.selectFrom(r8, r9); r8 = t0;
        t0 = LO1.selectFrom(r10, r11); r11 = HI1.selectFrom(r10, r11); r10 = t0;
        t0 = LO1.selectFrom(r12, r13); r13 = HI1.selectFrom(r12, r13); r12 = t0;
        t0 = LO1.selectFrom(r14, r15); r15 = HI1.selectFrom(r14, r15); r14 = t0;
        r0.intoArray(dst, d + 0 * dstStride);
        r1.intoArray(dst, d + 1 * dstStride);
        r2.intoArray(dst, d + 2 * dstStride);
        r3.intoArray(dst, d + 3 * dstStride);
        r4.intoArray(dst, d + 4 * dstStride);
        r5.intoArray(dst, d + 5 * dstStride);
        r6.intoArray(dst, d + 6 * dstStride);
        r7.intoArray(dst, d + 7 * dstStride);
        r8.intoArray(dst, d + 8 * dstStride);
        r9.intoArray(dst, d + 9 * dstStride);
        r10.intoArray(dst, d + 10 * dstStride);
        r11.intoArray(dst, d + 11 * dstStride);
        r12.intoArray(dst, d + 12 * dstStride);
        r13.intoArray(dst, d + 13 * dstStride);
        r14.intoArray(dst, d + 14 * dstStride);
        r15.intoArray(dst, d + 15 * dstStride);
    }
}
