package dev.nanolab.cpu.ops;

import dev.nanolab.api.backend.Dropout;

/**
 * Independent double-precision reference implementations, written the obvious way (index loops over the
 * definition), for the gradient checks. Nothing here shares code with the kernels under test.
 */
final class Ref {
    private Ref() {}

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** The flat index into a tensor of {@code shape} that broadcasts to {@code out}, for out's flat index i. */
    static int broadcastIndex(int i, int[] out, int[] shape) {
        int[] os = strides(out), ss = strides(shape);
        int shift = out.length - shape.length, idx = 0;
        for (int d = 0; d < out.length; d++) {
            int coord = (i / os[d]) % out[d];
            if (d >= shift && shape[d - shift] != 1) idx += coord * ss[d - shift];
        }
        return idx;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** Batched matmul with transpose flags; a (batchA..., ...), b shared when bBatch is 1. */
    static double[] matmul(double[] a, double[] b, int batch, int m, int n, int k, boolean ta, boolean tb, boolean aShared, boolean bShared) {
        double[] c = new double[batch * m * n];
        for (int z = 0; z < batch; z++) {
            int ao = aShared ? 0 : z * m * k, bo = bShared ? 0 : z * k * n;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++)
                        s += a[ao + (ta ? p * m + i : i * k + p)] * b[bo + (tb ? j * k + p : p * n + j)];
                    c[z * m * n + i * n + j] = s;
                }
        }
        return c;
    }

    static double[] layerNorm(double[] x, double[] w, double[] b, int rows, int dim, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double mean = 0, var = 0;
            for (int i = 0; i < dim; i++) mean += x[r * dim + i];
            mean /= dim;
            for (int i = 0; i < dim; i++) var += (x[r * dim + i] - mean) * (x[r * dim + i] - mean);
            var /= dim;
            for (int i = 0; i < dim; i++)
                y[r * dim + i] = (x[r * dim + i] - mean) / Math.sqrt(var + eps) * (w == null ? 1 : w[i]) + (b == null ? 0 : b[i]);
        }
        return y;
    }

    static double[] rmsNorm(double[] x, double[] w, int rows, int dim, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double ms = 0;
            for (int i = 0; i < dim; i++) ms += x[r * dim + i] * x[r * dim + i];
            ms /= dim;
            for (int i = 0; i < dim; i++) y[r * dim + i] = x[r * dim + i] / Math.sqrt(ms + eps) * (w == null ? 1 : w[i]);
        }
        return y;
    }

    /**
     * Softmax of each row over the allowed columns with an extra denominator term exp(extra); masked entries 0.
     * {@code allowed[r][j]}; null means all.
     */
    static double[] softmax(double[] x, int rows, int cols, boolean[][] allowed, double extra) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double sum = Double.isInfinite(extra) && extra < 0 ? 0 : Math.exp(extra);
            for (int j = 0; j < cols; j++) if (allowed == null || allowed[r][j]) sum += Math.exp(x[r * cols + j]);
            for (int j = 0; j < cols; j++)
                y[r * cols + j] = (allowed == null || allowed[r][j]) && sum > 0 ? Math.exp(x[r * cols + j]) / sum : 0;
        }
        return y;
    }

    /** allowed[r][j] for a causal mask over rows = blocks × queries. */
    static boolean[][] causal(int rows, int queries, int keys, int window) {
        boolean[][] a = new boolean[rows][keys];
        for (int r = 0; r < rows; r++) {
            int i = (keys - queries) + r % queries;
            for (int j = 0; j < keys; j++) a[r][j] = j <= i && (window == 0 || j > i - window);
        }
        return a;
    }

    static double crossEntropy(double[] logits, int[] targets, int vocab, int ignore) {
        double sum = 0;
        int count = 0;
        for (int r = 0; r < targets.length; r++) {
            if (targets[r] == ignore) continue;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < vocab; j++) m = Math.max(m, logits[r * vocab + j]);
            double z = 0;
            for (int j = 0; j < vocab; j++) z += Math.exp(logits[r * vocab + j] - m);
            sum += m + Math.log(z) - logits[r * vocab + targets[r]];
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }

    /**
     * Naive attention over q (B, Tq, C), k and v (B, Tk, C): scores, causal mask (queries are the last Tq positions),
     * softmax with an extra logit per head, dropout on the weights, weighted sum.
     */
    static double[] attention(double[] q, double[] k, double[] v, int B, int H, int Tq, int Tk, int D, int window,
                              double[] extraPerHead, float dropout, long seed) {
        return attention(q, k, v, B, H, Tq, Tk, D, window, extraPerHead, dropout, seed, 0, 1);
    }

    /** As above, with the softmax clipped to clamp((ζ − γ)·p + γ, 0, 1) before dropout. */
    static double[] attention(double[] q, double[] k, double[] v, int B, int H, int Tq, int Tk, int D, int window,
                              double[] extraPerHead, float dropout, long seed, double gamma, double zeta) {
        int C = H * D;
        double[] out = new double[B * Tq * C];
        double scale = 1 / Math.sqrt(D);
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int i = 0; i < Tq; i++) {
                    int pos = Tk - Tq + i;
                    double[] s = new double[Tk];
                    double denom = Double.isInfinite(extraPerHead[h]) && extraPerHead[h] < 0 ? 0 : Math.exp(extraPerHead[h]);
                    for (int j = 0; j < Tk; j++) {
                        boolean ok = j <= pos && (window == 0 || j > pos - window);
                        if (!ok) {
                            s[j] = Double.NaN;
                            continue;
                        }
                        double dot = 0;
                        for (int d = 0; d < D; d++) dot += q[(b * Tq + i) * C + h * D + d] * k[(b * Tk + j) * C + h * D + d];
                        s[j] = dot * scale;
                        denom += Math.exp(s[j]);
                    }
                    for (int j = 0; j < Tk; j++) {
                        if (Double.isNaN(s[j])) continue;
                        double p = Math.exp(s[j]) / denom;
                        p = Math.max(0, Math.min(1, (zeta - gamma) * p + gamma));
                        if (dropout > 0) {
                            long idx = ((long) (b * H + h) * Tq + i) * Tk + j;
                            p = Dropout.keep(seed, idx, dropout) ? p / (1 - dropout) : 0;
                        }
                        for (int d = 0; d < D; d++) out[(b * Tq + i) * C + h * D + d] += p * v[(b * Tk + j) * C + h * D + d];
                    }
                }
        return out;
    }

    /**
     * Causal attention with a window and documents: query i (absolute position Tk − Tq + i) of batch b sees key j when
     * j ≤ pos, j &gt; pos − window (window &gt; 0), and j ≥ docStarts[b·Tq + i].
     */
    static double[] maskedAttention(double[] q, double[] k, double[] v, int B, int H, int Tq, int Tk, int D, int window,
                                    double extra, int[] docStarts) {
        int C = H * D;
        double[] out = new double[B * Tq * C];
        double scale = 1 / Math.sqrt(D);
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int i = 0; i < Tq; i++) {
                    int pos = Tk - Tq + i, first = Math.max(window == 0 ? 0 : pos - window + 1, docStarts[b * Tq + i]);
                    double[] s = new double[Tk];
                    double denom = Double.isInfinite(extra) ? 0 : Math.exp(extra);
                    for (int j = first; j <= pos; j++) {
                        double dot = 0;
                        for (int d = 0; d < D; d++) dot += q[(b * Tq + i) * C + h * D + d] * k[(b * Tk + j) * C + h * D + d];
                        s[j] = dot * scale;
                        denom += Math.exp(s[j]);
                    }
                    for (int j = first; j <= pos; j++)
                        for (int d = 0; d < D; d++)
                            out[(b * Tq + i) * C + h * D + d] += Math.exp(s[j]) / denom * v[(b * Tk + j) * C + h * D + d];
                }
        return out;
    }

    static double[] conv1d(double[] x, double[] w, double[] bias, int B, int T, int cin, int cout, int K, int dil) {
        double[] y = new double[B * T * cout];
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                for (int o = 0; o < cout; o++) {
                    double s = bias == null ? 0 : bias[o];
                    for (int c = 0; c < cin; c++)
                        for (int kk = 0; kk < K; kk++) {
                            int src = t - (K - 1 - kk) * dil;
                            if (src >= 0) s += w[(o * cin + c) * K + kk] * x[(b * T + src) * cin + c];
                        }
                    y[(b * T + t) * cout + o] = s;
                }
        return y;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** LSTM cell: returns h and c concatenated, each (B, H). */
    static double[] lstm(double[] gates, double[] cPrev, int B, int H) {
        double[] out = new double[2 * B * H];
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++) {
                double i = sigmoid(gates[b * 4 * H + j]), f = sigmoid(gates[b * 4 * H + H + j]);
                double g = Math.tanh(gates[b * 4 * H + 2 * H + j]), o = sigmoid(gates[b * 4 * H + 3 * H + j]);
                double c = f * cPrev[b * H + j] + i * g;
                out[b * H + j] = o * Math.tanh(c);
                out[B * H + b * H + j] = c;
            }
        return out;
    }
}
