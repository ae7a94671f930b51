package dev.nanolab.models;

import static dev.nanolab.models.RefModels.crossEntropy;
import static dev.nanolab.models.RefModels.gelu;
import static dev.nanolab.models.RefModels.layerNorm;
import static dev.nanolab.models.RefModels.linear;
import static dev.nanolab.models.RefModels.sigmoid;

import java.util.Map;

/**
 * A double-precision GPT written directly from the definitions (embedding sums, layer norm, per-row attention
 * normalisers, GELU MLP, tied head, mean cross-entropy), sharing no code with the engine: the independent reference
 * for the gradient tests.
 */
final class RefGpt {
    /** The attention normaliser of one variant: weights of one query row over its allowed keys. */
    interface Normaliser {
        double[] weights(double[] scores, int n, int layer, int head, Map<String, double[]> p);
    }

    final int layers, heads, c, vocab, window;
    final boolean bias;
    final Normaliser normaliser;
    /** Gate per head from the block input, or no gate. */
    final boolean gated;

    RefGpt(int layers, int heads, int c, int vocab, boolean bias, int window, Normaliser normaliser, boolean gated) {
        this.layers = layers;
        this.heads = heads;
        this.c = c;
        this.vocab = vocab;
        this.bias = bias;
        this.window = window;
        this.normaliser = normaliser;
        this.gated = gated;
    }

    static double[] softmax(double[] s, int n, double extraLogit) {
        double m = extraLogit;
        for (int j = 0; j < n; j++) m = Math.max(m, s[j]);
        double sum = Double.isInfinite(extraLogit) ? 0 : Math.exp(extraLogit - m);
        double[] w = new double[n];
        for (int j = 0; j < n; j++) sum += (w[j] = Math.exp(s[j] - m));
        for (int j = 0; j < n; j++) w[j] /= sum;
        return w;
    }

    double loss(Map<String, double[]> p, int[][] ids, int[][] targets) {
        int batch = ids.length, t = ids[0].length, d = c / heads;
        double total = 0;
        int count = 0;
        for (int b = 0; b < batch; b++) {
            double[][] x = new double[t][c];
            for (int i = 0; i < t; i++)
                for (int k = 0; k < c; k++) x[i][k] = p.get("transformer.wte.weight")[ids[b][i] * c + k] + p.get("transformer.wpe.weight")[i * c + k];
            for (int l = 0; l < layers; l++) {
                String pre = "transformer.h." + l + ".";
                double[][] h = new double[t][], qkv = new double[t][];
                for (int i = 0; i < t; i++) {
                    h[i] = layerNorm(x[i], p.get(pre + "ln_1.weight"), bias ? p.get(pre + "ln_1.bias") : null);
                    qkv[i] = linear(h[i], p.get(pre + "attn.c_attn.weight"), bias ? p.get(pre + "attn.c_attn.bias") : null, 3 * c);
                }
                double[][] y = new double[t][c];
                for (int hh = 0; hh < heads; hh++)
                    for (int i = 0; i < t; i++) {
                        int j0 = window == 0 ? 0 : Math.max(0, i - window + 1);
                        int n = i - j0 + 1;
                        double[] s = new double[n];
                        for (int j = j0; j <= i; j++) {
                            double dot = 0;
                            for (int k = 0; k < d; k++) dot += qkv[i][hh * d + k] * qkv[j][c + hh * d + k];
                            s[j - j0] = dot / Math.sqrt(d);
                        }
                        double[] w = normaliser.weights(s, n, l, hh, p);
                        for (int j = j0; j <= i; j++)
                            for (int k = 0; k < d; k++) y[i][hh * d + k] += w[j - j0] * qkv[j][2 * c + hh * d + k];
                    }
                if (gated)
                    for (int i = 0; i < t; i++) {
                        double[] g = linear(h[i], p.get(pre + "attn.attention.gate.weight"), p.get(pre + "attn.attention.gate.bias"), heads);
                        for (int hh = 0; hh < heads; hh++)
                            for (int k = 0; k < d; k++) y[i][hh * d + k] *= sigmoid(g[hh]);
                    }
                for (int i = 0; i < t; i++) {
                    double[] o = linear(y[i], p.get(pre + "attn.c_proj.weight"), bias ? p.get(pre + "attn.c_proj.bias") : null, c);
                    for (int k = 0; k < c; k++) x[i][k] += o[k];
                    double[] h2 = layerNorm(x[i], p.get(pre + "ln_2.weight"), bias ? p.get(pre + "ln_2.bias") : null);
                    double[] f = linear(h2, p.get(pre + "mlp.c_fc.weight"), bias ? p.get(pre + "mlp.c_fc.bias") : null, 4 * c);
                    for (int k = 0; k < f.length; k++) f[k] = gelu(f[k]);
                    double[] m = linear(f, p.get(pre + "mlp.c_proj.weight"), bias ? p.get(pre + "mlp.c_proj.bias") : null, c);
                    for (int k = 0; k < c; k++) x[i][k] += m[k];
                }
            }
            for (int i = 0; i < t; i++) {
                double[] z = layerNorm(x[i], p.get("transformer.ln_f.weight"), bias ? p.get("transformer.ln_f.bias") : null);
                double[] logits = linear(z, p.get("transformer.wte.weight"), null, vocab);
                total += crossEntropy(logits, targets[b][i]);
                count++;
            }
        }
        return total / count;
    }
}
