package dev.nanolab.models;

import static dev.nanolab.models.RefModels.crossEntropy;
import static dev.nanolab.models.RefModels.gelu;
import static dev.nanolab.models.RefModels.layerNorm;
import static dev.nanolab.models.RefModels.linear;
import static dev.nanolab.models.RefModels.row;
import static dev.nanolab.models.RefModels.sigmoid;

import dev.nanolab.models.modern.ModernGptConfig;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * modern-gpt in double precision, written from modded-nanogpt's definitions with plain loops and sharing no code with
 * the engine: RMS norm, rotary positions (pairs (j, j + D/2)), QK-norm, value embeddings, U-net skips, x0 lambdas,
 * relu²/SwiGLU, per-layer windows, document masks, the attention scale and the logit softcaps. It reads only the
 * config's switches; the window schedule is taken at step 0 (the test's configs do not grow their windows).
 */
final class RefModernGpt implements RefModels.Loss {
    static final double RMS_EPS = 1e-6;
    final ModernGptConfig c;
    final int vocab;
    /** The normaliser's extra logit: −∞ for softmax, 0 for softmax1. */
    final double extraLogit;

    RefModernGpt(ModernGptConfig c, int vocab, double extraLogit) {
        this.c = c;
        this.vocab = vocab;
        this.extraLogit = extraLogit;
    }

    static double[] rmsNorm(double[] x, double[] w) {
        double ms = 0;
        for (double v : x) ms += v * v;
        double r = 1 / Math.sqrt(ms / x.length + RMS_EPS);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * r * (w == null ? 1 : w[i]);
        return y;
    }

    double[] norm(Map<String, double[]> p, String name, double[] x) {
        if (c.norm() == ModernGptConfig.Norm.LAYER) return layerNorm(x, p.get(name + ".weight"), c.bias() ? p.get(name + ".bias") : null);
        return rmsNorm(x, c.normWeight() ? p.get(name + ".weight") : null);
    }

    /** Angular frequency of pair j of a head of size d. */
    double omega(int j, int d) {
        int half = d / 2;
        if (c.rope() == ModernGptConfig.Rope.STANDARD) return Math.pow(c.ropeBase(), -(double) j / half);
        int n = d / 4;
        if (j >= n) return 0;
        return n == 1 ? 1 : Math.pow(1 / c.ropeBase(), (double) j / (n - 1));
    }

    /** Rotates one head's vector (d channels at offset o of v) to position pos, in place. */
    void rotate(double[] v, int o, int d, int pos) {
        int half = d / 2;
        for (int j = 0; j < half; j++) {
            double a = pos * omega(j, d), cs = Math.cos(a), sn = Math.sin(a);
            double x1 = v[o + j], x2 = v[o + j + half];
            v[o + j] = x1 * cs + x2 * sn;
            v[o + j + half] = -x1 * sn + x2 * cs;
        }
    }

    int window(int layer) {
        int longest = c.longWindow() == 0 ? c.blockSize() : c.longWindow();
        String pat = c.windowPattern();
        int w = !pat.isEmpty() && pat.charAt(layer % pat.length()) == 'S' ? Math.max(1, longest / 2) : longest;
        return w >= c.blockSize() ? 0 : w;
    }

    @Override
    public double loss(Map<String, double[]> p, int[][] ids, int[][] targets) {
        double total = 0;
        int count = 0;
        for (int b = 0; b < ids.length; b++) {
            double[][] logits = logits(p, ids[b]);
            for (int i = 0; i < ids[b].length; i++, count++) total += crossEntropy(logits[i], targets[b][i]);
        }
        return total / count;
    }

    /** Logits (T, V) of one sequence. */
    double[][] logits(Map<String, double[]> p, int[] ids) {
        int t = ids.length, n = c.nEmbd(), layers = c.nLayer(), heads = c.nHead(), d = n / heads, k = c.valueEmbeds();
        int[] docStart = new int[t];
        for (int i = 0, s = 0; i < t; i++) {
            if (ids[i] == c.documentBoundary()) s = i;
            docStart[i] = s;
        }
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) {
            x[i] = row(p.get("embed.weight"), ids[i], n);
            if (c.rope() == ModernGptConfig.Rope.NONE)
                for (int j = 0; j < n; j++) x[i][j] += p.get("wpe.weight")[i * n + j];
            if (c.embedNorm()) x[i] = norm(p, "embed_norm", x[i]);
        }
        double[][] x0 = x.clone();
        int skips = c.unetSkips() ? layers / 2 : 0;
        Deque<double[][]> saved = new ArrayDeque<>();
        for (int l = 0; l < layers; l++) {
            String pre = "blocks." + l + ".";
            if (l >= layers - skips) {
                double[][] s = saved.pop();
                double sw = p.get("skip_weights")[l - (layers - skips)];
                double[][] y = new double[t][n];
                for (int i = 0; i < t; i++) for (int j = 0; j < n; j++) y[i][j] = x[i][j] + sw * s[i][j];
                x = y;
            }
            if (c.x0Lambdas()) {
                double[] lam = p.get(pre + "lambdas");
                double[][] y = new double[t][n];
                for (int i = 0; i < t; i++) for (int j = 0; j < n; j++) y[i][j] = lam[0] * x[i][j] + lam[1] * x0[i][j];
                x = y;
            }
            int veTable = l < k ? l : l >= layers - k ? l - (layers - k) : -1;
            double[][] q = new double[t][], kk = new double[t][], v = new double[t][];
            for (int i = 0; i < t; i++) {
                double[] qkv = linear(norm(p, pre + "ln_1", x[i]), p.get(pre + "attn.qkv_w"), c.bias() ? p.get(pre + "attn.qkv_b") : null, 3 * n);
                q[i] = java.util.Arrays.copyOfRange(qkv, 0, n);
                kk[i] = java.util.Arrays.copyOfRange(qkv, n, 2 * n);
                v[i] = java.util.Arrays.copyOfRange(qkv, 2 * n, 3 * n);
                if (k > 0) {
                    double[] lam = p.get(pre + "attn.lambdas");
                    double[] ve = veTable >= 0 ? row(p.get("value_embeds." + veTable + ".weight"), ids[i], n) : null;
                    for (int j = 0; j < n; j++) v[i][j] = lam[0] * v[i][j] + (ve == null ? 0 : lam[1] * ve[j]);
                }
                for (int h = 0; h < heads; h++) {
                    if (c.qkNorm()) {
                        double[] qn = rmsNorm(java.util.Arrays.copyOfRange(q[i], h * d, h * d + d), null);
                        double[] kn = rmsNorm(java.util.Arrays.copyOfRange(kk[i], h * d, h * d + d), null);
                        System.arraycopy(qn, 0, q[i], h * d, d);
                        System.arraycopy(kn, 0, kk[i], h * d, d);
                    }
                    if (c.rope() != ModernGptConfig.Rope.NONE) {
                        rotate(q[i], h * d, d, i);
                        rotate(kk[i], h * d, d, i);
                    }
                }
            }
            double scale = c.attentionScale() > 0 ? c.attentionScale() : 1 / Math.sqrt(d);
            int w = window(l);
            double[][] y = new double[t][n];
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++) {
                    int j0 = Math.max(docStart[i], w == 0 ? 0 : Math.max(0, i - w + 1));
                    int m = i - j0 + 1;
                    double[] s = new double[m];
                    for (int j = j0; j <= i; j++) {
                        double dot = 0;
                        for (int e = 0; e < d; e++) dot += q[i][h * d + e] * kk[j][h * d + e];
                        s[j - j0] = dot * scale;
                    }
                    double[] a = RefGpt.softmax(s, m, extraLogit);
                    for (int j = j0; j <= i; j++) for (int e = 0; e < d; e++) y[i][h * d + e] += a[j - j0] * v[j][h * d + e];
                }
            double[][] next = new double[t][];
            for (int i = 0; i < t; i++) {
                double[] o = linear(y[i], p.get(pre + "attn.c_proj.weight"), c.bias() ? p.get(pre + "attn.c_proj.bias") : null, n);
                double[] xi = x[i].clone();
                for (int j = 0; j < n; j++) xi[j] += o[j];
                double[] m = mlp(p, pre, norm(p, pre + "ln_2", xi));
                for (int j = 0; j < n; j++) xi[j] += m[j];
                next[i] = xi;
            }
            x = next;
            if (l < skips) saved.push(x);
        }
        double[][] logits = new double[t][];
        for (int i = 0; i < t; i++) {
            double[] z = norm(p, "ln_f", x[i]);
            double[] lg = linear(z, p.get(c.untiedHead() ? "lm_head.weight" : "embed.weight"), null, vocab);
            double cap = c.softcapValue();
            for (int j = 0; j < vocab; j++)
                lg[j] = switch (c.softcap()) {
                    case NONE -> lg[j];
                    case TANH -> cap * Math.tanh(lg[j] / cap);
                    case SIGMOID -> cap * sigmoid(lg[j] / (cap / 4));
                };
            logits[i] = lg;
        }
        return logits;
    }

    double[] mlp(Map<String, double[]> p, String pre, double[] h) {
        int hidden = c.hiddenWidth();
        boolean swiglu = c.mlp() == ModernGptConfig.MlpKind.SWIGLU;
        double[] f = linear(h, p.get(pre + "mlp.c_fc.weight"), c.bias() ? p.get(pre + "mlp.c_fc.bias") : null, swiglu ? 2 * hidden : hidden);
        double[] a = new double[hidden];
        for (int j = 0; j < hidden; j++)
            a[j] = switch (c.mlp()) {
                case GELU -> gelu(f[j]);
                case RELU2 -> Math.max(0, f[j]) * Math.max(0, f[j]);
                case SWIGLU -> f[j] * sigmoid(f[j]) * f[hidden + j];
            };
        return linear(a, p.get(pre + "mlp.c_proj.weight"), c.bias() ? p.get(pre + "mlp.c_proj.bias") : null, c.nEmbd());
    }
}
