package dev.nanolab.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Batched matrix multiply, tiled through local memory. */
public final class KGemm {
    /** Tile edge; the work-group is TILE × TILE threads. */
    public static final int TILE = 16;

    private KGemm() {}

    /**
     * {@code C_b = alpha · op(A_b) · op(B_b) (+ C_b)}, row-major; with transA each A is stored k×m, with transB each B
     * is stored n×k. x runs over columns of C, y over (batch, rows). Each work-group computes TILE × TILE outputs per
     * step of its tile loop, staging TILE × TILE blocks of A and B in local memory; k is summed in order 0..k-1.
     * a: [batch, m, n, k, aOff, aBatchStride, transA, bOff, bBatchStride, transB, cOff, cBatchStride, accumulate]
     * f: [alpha]
     */
    public static void matmul(KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f, int b) {
        int batch = a.get(b), m = a.get(b + 1), n = a.get(b + 2), k = a.get(b + 3);
        int aOff = a.get(b + 4), aBs = a.get(b + 5), transA = a.get(b + 6);
        int bOff = a.get(b + 7), bBs = a.get(b + 8), transB = a.get(b + 9);
        int cOff = a.get(b + 10), cBs = a.get(b + 11), acc = a.get(b + 12);
        float alpha = f.get(b);
        float[] as = c.allocateFloatLocalArray(256);
        float[] bs = c.allocateFloatLocalArray(256);
        int lx = c.localIdx, ly = c.localIdy;
        int tilesN = (n + 15) / 16, tilesM = (m + 15) / 16;
        int groupsX = c.globalGroupSizeX / 16, groupsY = c.globalGroupSizeY / 16;
        for (int ty = c.groupIdy; ty < batch * tilesM; ty += groupsY) {
            int bi = ty / tilesM;
            int row = (ty - bi * tilesM) * 16 + ly;
            int aBase = aOff + bi * aBs, bBase = bOff + bi * bBs;
            for (int tx = c.groupIdx; tx < tilesN; tx += groupsX) {
                int col = tx * 16 + lx;
                float s = 0f;
                for (int p0 = 0; p0 < k; p0 += 16) {
                    int ap = p0 + lx;
                    float av = 0f;
                    if (row < m && ap < k) {
                        if (transA == 1) av = h.get(aBase + ap * m + row);
                        else av = h.get(aBase + row * k + ap);
                    }
                    as[ly * 16 + lx] = av;
                    int bp = p0 + ly;
                    float bv = 0f;
                    if (col < n && bp < k) {
                        if (transB == 1) bv = h.get(bBase + col * k + bp);
                        else bv = h.get(bBase + bp * n + col);
                    }
                    bs[ly * 16 + lx] = bv;
                    c.localBarrier();
                    for (int q = 0; q < 16; q++) s += as[ly * 16 + q] * bs[q * 16 + lx];
                    c.localBarrier();
                }
                if (row < m && col < n) {
                    int ci = cOff + bi * cBs + row * n + col;
                    float r = alpha * s;
                    if (acc == 1) r = h.get(ci) + r;
                    h.set(ci, r);
                }
            }
        }
    }
}
