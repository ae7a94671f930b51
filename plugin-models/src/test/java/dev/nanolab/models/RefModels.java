package dev.nanolab.models;

import java.util.Map;

/**
 * Double-precision references for the lstm, wavenet, mlp and bigram architectures, written directly from their
 * definitions with plain loops, sharing no code with the engine: what the gradient tests compare against. Its pieces
 * (linear, layer norm, activations, cross-entropy) are {@link RefGpt}'s too. Parameters
 * are looked up by the model's dotted names.
 */
final class RefModels {
    private RefModels() {}

    /** A model's mean next-token cross-entropy as a function of its parameters. */
    interface Loss {
        double loss(Map<String, double[]> p, int[][] ids, int[][] targets);
    }

    // ------------------------------------------------------------------ pieces

    /** y = W·x + b with W (out, in); b may be null. */
    static double[] linear(double[] x, double[] w, double[] b, int out) {
        int in = x.length;
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b == null ? 0 : b[o];
            for (int i = 0; i < in; i++) s += w[o * in + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    /** Layer norm over x with scale w and shift b; b may be null. */
    static double[] layerNorm(double[] x, double[] w, double[] b) {
        int n = x.length;
        double mean = 0, var = 0;
        for (double v : x) mean += v;
        mean /= n;
        for (double v : x) var += (v - mean) * (v - mean);
        var /= n;
        double r = 1 / Math.sqrt(var + 1e-5);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = (x[i] - mean) * r * w[i] + (b == null ? 0 : b[i]);
        return y;
    }

    static double[] row(double[] table, int index, int width) {
        double[] r = new double[width];
        System.arraycopy(table, index * width, r, 0, width);
        return r;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** −log softmax(logits)[target]. */
    static double crossEntropy(double[] logits, int target) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : logits) m = Math.max(m, v);
        double s = 0;
        for (double v : logits) s += Math.exp(v - m);
        return m + Math.log(s) - logits[target];
    }

    // ------------------------------------------------------------------ models

    /** lstm: x = LN(wte[id]); each layer h_t = LSTM(h_{t−1}, c_{t−1}, input_t); y = x + top; MLP head. */
    static Loss lstm(int layers, int c, int vocab) {
        return (p, ids, targets) -> {
            double total = 0;
            int count = 0;
            for (int b = 0; b < ids.length; b++) {
                int t = ids[b].length;
                double[][] x = new double[t][];
                for (int i = 0; i < t; i++) x[i] = layerNorm(row(p.get("wte.weight"), ids[b][i], c), p.get("ln.weight"), p.get("ln.bias"));
                double[][] in = x;
                for (int l = 0; l < layers; l++) {
                    String pre = "lstm." + l + ".";
                    double[] h = new double[c], cell = new double[c];
                    double[][] out = new double[t][];
                    for (int i = 0; i < t; i++) {
                        double[] gx = linear(in[i], p.get(pre + "w_ih.weight"), p.get(pre + "w_ih.bias"), 4 * c);
                        double[] gh = linear(h, p.get(pre + "w_hh.weight"), null, 4 * c);
                        double[] hNew = new double[c];
                        for (int j = 0; j < c; j++) {
                            double ig = sigmoid(gx[j] + gh[j]), fg = sigmoid(gx[c + j] + gh[c + j]);
                            double gg = Math.tanh(gx[2 * c + j] + gh[2 * c + j]), og = sigmoid(gx[3 * c + j] + gh[3 * c + j]);
                            cell[j] = fg * cell[j] + ig * gg;
                            hNew[j] = og * Math.tanh(cell[j]);
                        }
                        h = hNew;
                        out[i] = hNew;
                    }
                    in = out;
                }
                for (int i = 0; i < t; i++) {
                    double[] y = new double[c];
                    for (int j = 0; j < c; j++) y[j] = x[i][j] + in[i][j];
                    double[] f = linear(y, p.get("fc.weight"), p.get("fc.bias"), 4 * c);
                    for (int j = 0; j < f.length; j++) f[j] = gelu(f[j]);
                    total += crossEntropy(linear(f, p.get("lm_head.weight"), p.get("lm_head.bias"), vocab), targets[b][i]);
                    count++;
                }
            }
            return total / count;
        };
    }

    /**
     * wavenet: per layer l (dilation 2^l) a[t] = bias + W_tap0·in[t − d] + W_tap1·in[t] (zero before the start),
     * z = tanh(a_filter)·σ(a_gate), x += res(z) (not after the last), skip += skip(z); head relu, fc, relu, lm_head.
     */
    static Loss wavenet(int layers, int c, int skipChannels, boolean layerNorm, int vocab) {
        return (p, ids, targets) -> {
            double total = 0;
            int count = 0;
            for (int b = 0; b < ids.length; b++) {
                int t = ids[b].length;
                double[][] x = new double[t][], skip = new double[t][skipChannels];
                for (int i = 0; i < t; i++) x[i] = row(p.get("wte.weight"), ids[b][i], c);
                for (int l = 0; l < layers; l++) {
                    String pre = "layers." + l + ".";
                    int d = 1 << l;
                    double[][] in = new double[t][];
                    for (int i = 0; i < t; i++) in[i] = layerNorm ? layerNorm(x[i], p.get(pre + "ln.weight"), p.get(pre + "ln.bias")) : x[i];
                    double[] w = p.get(pre + "conv.weight"), bias = p.get(pre + "conv.bias");
                    double[][] next = new double[t][];
                    for (int i = 0; i < t; i++) {
                        double[] a = new double[2 * c];
                        for (int o = 0; o < 2 * c; o++) {
                            double s = bias[o];
                            for (int ci = 0; ci < c; ci++) {
                                if (i - d >= 0) s += w[(o * c + ci) * 2] * in[i - d][ci];
                                s += w[(o * c + ci) * 2 + 1] * in[i][ci];
                            }
                            a[o] = s;
                        }
                        double[] z = new double[c];
                        for (int j = 0; j < c; j++) z[j] = Math.tanh(a[j]) * sigmoid(a[c + j]);
                        if (l < layers - 1) {
                            double[] r = linear(z, p.get(pre + "res.weight"), p.get(pre + "res.bias"), c);
                            next[i] = new double[c];
                            for (int j = 0; j < c; j++) next[i][j] = x[i][j] + r[j];
                        }
                        double[] s = linear(z, p.get(pre + "skip.weight"), p.get(pre + "skip.bias"), skipChannels);
                        for (int j = 0; j < skipChannels; j++) skip[i][j] += s[j];
                    }
                    x = next;
                }
                for (int i = 0; i < t; i++) {
                    double[] s = layerNorm ? layerNorm(skip[i], p.get("ln_f.weight"), p.get("ln_f.bias")) : skip[i];
                    for (int j = 0; j < s.length; j++) s[j] = Math.max(0, s[j]);
                    double[] f = linear(s, p.get("fc.weight"), p.get("fc.bias"), skipChannels);
                    for (int j = 0; j < f.length; j++) f[j] = Math.max(0, f[j]);
                    total += crossEntropy(linear(f, p.get("lm_head.weight"), p.get("lm_head.bias"), vocab), targets[b][i]);
                    count++;
                }
            }
            return total / count;
        };
    }

    /**
     * mlp: row (b, t) is the concatenated embeddings of ids t − n + 1 … t (pad id = vocab before the start); hidden
     * layers linear, batch norm over all B·T rows with the biased variance (training mode), tanh; lm_head.
     */
    static Loss mlp(int n, int e, int hidden, int layers, boolean batchNorm, int vocab) {
        return (p, ids, targets) -> {
            int batch = ids.length, t = ids[0].length, rows = batch * t;
            double[][] x = new double[rows][];
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < t; i++) {
                    double[] r = new double[n * e];
                    for (int k = 0; k < n; k++) {
                        int pos = i - n + 1 + k;
                        System.arraycopy(row(p.get("wte.weight"), pos < 0 ? vocab : ids[b][pos], e), 0, r, k * e, e);
                    }
                    x[b * t + i] = r;
                }
            for (int l = 0; l < layers; l++) {
                String pre = "hidden." + l + ".";
                double[][] h = new double[rows][];
                for (int r = 0; r < rows; r++) h[r] = linear(x[r], p.get(pre + "fc.weight"), batchNorm ? null : p.get(pre + "fc.bias"), hidden);
                if (batchNorm) {
                    double[] w = p.get(pre + "bn.weight"), bb = p.get(pre + "bn.bias");
                    for (int j = 0; j < hidden; j++) {
                        double mean = 0, var = 0;
                        for (int r = 0; r < rows; r++) mean += h[r][j];
                        mean /= rows;
                        for (int r = 0; r < rows; r++) var += (h[r][j] - mean) * (h[r][j] - mean);
                        var /= rows;
                        for (int r = 0; r < rows; r++) h[r][j] = (h[r][j] - mean) / Math.sqrt(var + 1e-5) * w[j] + bb[j];
                    }
                }
                for (double[] hr : h) for (int j = 0; j < hidden; j++) hr[j] = Math.tanh(hr[j]);
                x = h;
            }
            double total = 0;
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < t; i++)
                    total += crossEntropy(linear(x[b * t + i], p.get("lm_head.weight"), p.get("lm_head.bias"), vocab), targets[b][i]);
            return total / rows;
        };
    }

    /** bigram: logits = table[id]. */
    static Loss bigram(int vocab) {
        return (p, ids, targets) -> {
            double total = 0;
            int count = 0;
            for (int b = 0; b < ids.length; b++)
                for (int i = 0; i < ids[b].length; i++, count++)
                    total += crossEntropy(row(p.get("token_embedding_table.weight"), ids[b][i], vocab), targets[b][i]);
            return total / count;
        };
    }
}
