package dev.nanolab.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Batched matrix multiply: 64×64 output tiles through local memory, 4×4 outputs per thread. */
public final class KGemm {
    /** Output tile edge; a work-group is {@link #THREADS} × {@link #THREADS} threads, each computing 4 × 4 outputs. */
    public static final int TILE = 64, THREADS = 16;

    private KGemm() {}

    /**
     * {@code C_b = alpha · op(A_b) · op(B_b) (+ C_b)}, row-major; with transA each A is stored k×m, with transB each B
     * is stored n×k. The grid's x runs over column tiles of C, y over (batch, row tiles), both with a work-group stride,
     * so any grid computes the whole product. Per step of 16 along k, the work-group stages a 64×16 block of op(A) and a
     * 16×64 block of op(B) in local memory (loaded along the operand's contiguous axis); thread (x, y) accumulates the
     * outputs at rows y + 16i and columns x + 16j (i, j < 4) in private memory. Each output sums k in order 0..k-1.
     * a: [batch, m, n, k, aOff, aBatchStride, transA, bOff, bBatchStride, transB, cOff, cBatchStride, accumulate]
     * f: [alpha]
     */
    public static void matmul(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int batch = a.get(b), m = a.get(b + 1), n = a.get(b + 2), k = a.get(b + 3);
        int aOff = a.get(b + 4), aBs = a.get(b + 5), transA = a.get(b + 6);
        int bOff = a.get(b + 7), bBs = a.get(b + 8), transB = a.get(b + 9);
        int cOff = a.get(b + 10), cBs = a.get(b + 11), acc = a.get(b + 12);
        float alpha = f.get(b);
        // as[kk·64 + r] = op(A)[row0 + r, p0 + kk]; bs[kk·64 + cc] = op(B)[p0 + kk, col0 + cc]
        float[] as = c.allocateFloatLocalArray(1024);
        float[] bs = c.allocateFloatLocalArray(1024);
        float[] sum = new float[16];
        int lx = c.localIdx, ly = c.localIdy;
        int tid = ly * 16 + lx;
        int tilesN = (n + 63) / 64, tilesM = (m + 63) / 64;
        int groupsX = c.globalGroupSizeX / 16, groupsY = c.globalGroupSizeY / 16;
        for (int ty = c.groupIdy; ty < batch * tilesM; ty += groupsY) {
            int bi = ty / tilesM;
            int row0 = (ty - bi * tilesM) * 64;
            int aBase = aOff + bi * aBs, bBase = bOff + bi * bBs;
            for (int tx = c.groupIdx; tx < tilesN; tx += groupsX) {
                int col0 = tx * 64;
                for (int q = 0; q < 16; q++) sum[q] = 0f;
                for (int p0 = 0; p0 < k; p0 += 16) {
                    for (int e = tid; e < 1024; e += 256) {
                        int r, kk;
                        if (transA == 1) {
                            r = e % 64;
                            kk = e / 64;
                        } else {
                            r = e / 16;
                            kk = e % 16;
                        }
                        int gr = row0 + r, gk = p0 + kk;
                        float v = 0f;
                        if (gr < m && gk < k) {
                            if (transA == 1) v = h.get(aBase + gk * m + gr);
                            else v = h.get(aBase + gr * k + gk);
                        }
                        as[kk * 64 + r] = v;
                    }
                    for (int e = tid; e < 1024; e += 256) {
                        int cc, kk;
                        if (transB == 1) {
                            cc = e / 16;
                            kk = e % 16;
                        } else {
                            cc = e % 64;
                            kk = e / 64;
                        }
                        int gc = col0 + cc, gk = p0 + kk;
                        float v = 0f;
                        if (gc < n && gk < k) {
                            if (transB == 1) v = h.get(bBase + gc * k + gk);
                            else v = h.get(bBase + gk * n + gc);
                        }
                        bs[kk * 64 + cc] = v;
                    }
                    c.localBarrier();
                    for (int kk = 0; kk < 16; kk++) {
                        float a0 = as[kk * 64 + ly], a1 = as[kk * 64 + ly + 16], a2 = as[kk * 64 + ly + 32], a3 = as[kk * 64 + ly + 48];
                        float b0 = bs[kk * 64 + lx], b1 = bs[kk * 64 + lx + 16], b2 = bs[kk * 64 + lx + 32], b3 = bs[kk * 64 + lx + 48];
                        sum[0] += a0 * b0;
                        sum[1] += a0 * b1;
                        sum[2] += a0 * b2;
                        sum[3] += a0 * b3;
                        sum[4] += a1 * b0;
                        sum[5] += a1 * b1;
                        sum[6] += a1 * b2;
                        sum[7] += a1 * b3;
                        sum[8] += a2 * b0;
                        sum[9] += a2 * b1;
                        sum[10] += a2 * b2;
                        sum[11] += a2 * b3;
                        sum[12] += a3 * b0;
                        sum[13] += a3 * b1;
                        sum[14] += a3 * b2;
                        sum[15] += a3 * b3;
                    }
                    c.localBarrier();
                }
                for (int i = 0; i < 4; i++) {
                    int row = row0 + ly + 16 * i;
                    for (int j = 0; j < 4; j++) {
                        int col = col0 + lx + 16 * j;
                        if (row < m && col < n) {
                            int ci = cOff + bi * cBs + row * n + col;
                            float r = alpha * sum[i * 4 + j];
                            if (acc == 1) r = h.get(ci) + r;
                            h.set(ci, r);
                        }
                    }
                }
            }
        }
    }
}
