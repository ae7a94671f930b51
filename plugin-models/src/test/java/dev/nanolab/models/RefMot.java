package dev.nanolab.models;

import dev.nanolab.models.embedding.MotConfig;
import java.util.Map;

/**
 * The mixture-of-tokenizers embedding in double precision, loop by loop from its definition (MixtureOfTokenizers'
 * comment), sharing no code with it: the reference its forward values and finite-difference gradients come from.
 */
final class RefMot {
    private final MotConfig cfg;
    private final int c, d, vocab;
    private final int[] spelling; // (vocab, K)

    RefMot(MotConfig cfg, int c, int vocab, int[] spelling) {
        this.cfg = cfg;
        this.c = c;
        this.d = cfg.charDim() == 0 ? c : cfg.charDim();
        this.vocab = vocab;
        this.spelling = spelling;
    }

    /** out[b][t][C] for ids[b][t]. */
    double[][][] forward(Map<String, double[]> p, int[][] ids) {
        int bs = ids.length, t = ids[0].length, kk = cfg.charsPerToken(), pool = cfg.pool(), u = kk / pool;
        int span = (cfg.previousTokens() + 1) * u, heads = cfg.heads(), hd = d / heads;
        double[] w = p.get("weight"), e = p.get("byte_embed.weight"), slot = p.get("slot_scale");
        double[][][] out = new double[bs][t][c];
        for (int b = 0; b < bs; b++) {
            // Units (t·U, D).
            double[][] units = new double[t * u][d];
            for (int i = 0; i < t; i++)
                for (int j = 0; j < kk; j++) {
                    int by = spelling[ids[b][i] * kk + j];
                    for (int x = 0; x < d; x++) units[i * u + j / pool][x] += e[by * d + x] * slot[j * d + x];
                }
            if (cfg.selfAttentionWindow() > 0) units = add(units, selfAttention(p, units, heads, hd));
            for (int i = 0; i < t; i++) {
                double[] tok = new double[c];
                for (int x = 0; x < c; x++) tok[x] = w[ids[b][i] * c + x];
                double[] q = matVec(p.get("q.weight"), tok, d, c);
                double[][] keys = new double[span][];
                for (int j = 0; j < span; j++) {
                    int at = (i + 1) * u - span + j;
                    keys[j] = at < 0 ? new double[d] : units[at];
                }
                double[] att = new double[d];
                for (int h = 0; h < heads; h++) {
                    double[] s = new double[span];
                    double m = Double.NEGATIVE_INFINITY;
                    double[][] vs = new double[span][];
                    for (int j = 0; j < span; j++) {
                        double[] k = matVec(p.get("k.weight"), keys[j], d, d);
                        vs[j] = matVec(p.get("v.weight"), keys[j], d, d);
                        for (int x = 0; x < hd; x++) s[j] += q[h * hd + x] * k[h * hd + x];
                        s[j] /= Math.sqrt(hd);
                        m = Math.max(m, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < span; j++) z += Math.exp(s[j] - m);
                    for (int j = 0; j < span; j++)
                        for (int x = 0; x < hd; x++) att[h * hd + x] += Math.exp(s[j] - m) / z * vs[j][h * hd + x];
                }
                double[] x0 = matVec(p.get("up.weight"), att, c, d);
                if (cfg.residual()) for (int x = 0; x < c; x++) x0[x] += p.get("lambda")[0] * tok[x];
                out[b][i] = rms(x0);
            }
        }
        return out;
    }

    private double[][] selfAttention(Map<String, double[]> p, double[][] units, int heads, int hd) {
        int n = units.length, window = cfg.selfAttentionWindow();
        double[][] q = new double[n][], k = new double[n][], v = new double[n][];
        double[] wqkv = p.get("byte_attn.qkv.weight");
        for (int i = 0; i < n; i++) {
            double[] qkv = matVec(wqkv, rms(units[i]), 3 * d, d);
            q[i] = java.util.Arrays.copyOfRange(qkv, 0, d);
            k[i] = java.util.Arrays.copyOfRange(qkv, d, 2 * d);
            v[i] = java.util.Arrays.copyOfRange(qkv, 2 * d, 3 * d);
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] o = new double[d];
            int from = Math.max(0, i - window + 1);
            for (int h = 0; h < heads; h++) {
                double m = Double.NEGATIVE_INFINITY;
                double[] s = new double[i + 1];
                for (int j = from; j <= i; j++) {
                    for (int x = 0; x < hd; x++) s[j] += q[i][h * hd + x] * k[j][h * hd + x];
                    s[j] /= Math.sqrt(hd);
                    m = Math.max(m, s[j]);
                }
                double z = 0;
                for (int j = from; j <= i; j++) z += Math.exp(s[j] - m);
                for (int j = from; j <= i; j++)
                    for (int x = 0; x < hd; x++) o[h * hd + x] += Math.exp(s[j] - m) / z * v[j][h * hd + x];
            }
            out[i] = matVec(p.get("byte_attn.proj.weight"), o, d, d);
        }
        return out;
    }

    /** W (out, in) · x. */
    static double[] matVec(double[] w, double[] x, int out, int in) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++) y[o] += w[o * in + i] * x[i];
        return y;
    }

    static double[] rms(double[] x) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double r = 1 / Math.sqrt(ss / x.length + 1e-6);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * r;
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i].clone();
            for (int x = 0; x < y[i].length; x++) y[i][x] += b[i][x];
        }
        return y;
    }
}
