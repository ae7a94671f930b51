package dev.nanolab.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.training.checkpoint.Safetensors;
import dev.nanolab.training.checkpoint.Safetensors.Entry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test support: a small random GPT-2 written in Hugging Face's names and layout (Conv1D weights (in, out), biases,
 * no lm_head, the causal-mask buffer of older files), a config.json, and a tiny byte-level BPE tokenizer.json; and
 * GPT-2's forward pass written out in double precision from those raw tensors, as the independent reference.
 */
final class HfGpt2Folder {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The tiny tokenizer: 256 byte tokens (id = byte), merges, then {@code <|endoftext|>}. */
    static final String[][] MERGES = {{"Ġ", "t"}, {"h", "e"}, {"Ġt", "he"}, {"i", "n"}, {"r", "e"}};
    static final int VOCAB = 256 + MERGES.length + 1;

    final int nLayer, nHead, nEmbd, nPositions, vocab;
    final Map<String, Entry> tensors = new LinkedHashMap<>();

    HfGpt2Folder(int nLayer, int nHead, int nEmbd, int nPositions, long seed) {
        this.nLayer = nLayer;
        this.nHead = nHead;
        this.nEmbd = nEmbd;
        this.nPositions = nPositions;
        this.vocab = VOCAB;
        Rng rng = new Rng(seed);
        int c = nEmbd;
        put("wte.weight", rng, 0.3f, 0f, vocab, c);
        put("wpe.weight", rng, 0.3f, 0f, nPositions, c);
        for (int l = 0; l < nLayer; l++) {
            String p = "h." + l + ".";
            put(p + "ln_1.weight", rng, 0.2f, 1f, c);
            put(p + "ln_1.bias", rng, 0.2f, 0f, c);
            put(p + "attn.c_attn.weight", rng, 0.3f, 0f, c, 3 * c); // Conv1D: (in, out)
            put(p + "attn.c_attn.bias", rng, 0.2f, 0f, 3 * c);
            put(p + "attn.c_proj.weight", rng, 0.3f, 0f, c, c);
            put(p + "attn.c_proj.bias", rng, 0.2f, 0f, c);
            put(p + "ln_2.weight", rng, 0.2f, 1f, c);
            put(p + "ln_2.bias", rng, 0.2f, 0f, c);
            put(p + "mlp.c_fc.weight", rng, 0.3f, 0f, c, 4 * c);
            put(p + "mlp.c_fc.bias", rng, 0.2f, 0f, 4 * c);
            put(p + "mlp.c_proj.weight", rng, 0.3f, 0f, 4 * c, c);
            put(p + "mlp.c_proj.bias", rng, 0.2f, 0f, c);
        }
        put("ln_f.weight", rng, 0.2f, 1f, c);
        put("ln_f.bias", rng, 0.2f, 0f, c);
    }

    /** From exported tensors (names with or without {@code transformer.}). */
    HfGpt2Folder(Map<String, Entry> hf, int nHead) {
        tensors.putAll(strip(hf));
        this.nHead = nHead;
        this.nEmbd = tensors.get("wte.weight").shape()[1];
        this.vocab = tensors.get("wte.weight").shape()[0];
        this.nPositions = tensors.get("wpe.weight").shape()[0];
        int l = 0;
        while (tensors.containsKey("h." + l + ".ln_1.weight")) l++;
        this.nLayer = l;
    }

    private static Map<String, Entry> strip(Map<String, Entry> hf) {
        Map<String, Entry> out = new LinkedHashMap<>();
        hf.forEach((k, v) -> out.put(k.startsWith("transformer.") ? k.substring("transformer.".length()) : k, v));
        return out;
    }

    private void put(String name, Rng rng, float std, float mean, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = mean + std * (float) rng.nextGaussian();
        tensors.put(name, new Entry(shape, v));
    }

    ObjectNode configJson() {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add("GPT2LMHeadModel");
        o.put("model_type", "gpt2").put("n_layer", nLayer).put("n_head", nHead).put("n_embd", nEmbd).put("n_positions", nPositions)
                .put("n_ctx", nPositions).put("vocab_size", vocab).put("activation_function", "gelu_new").put("layer_norm_epsilon", 1e-5)
                .put("bos_token_id", vocab - 1).put("eos_token_id", vocab - 1);
        return o;
    }

    /** Writes config.json, model.safetensors (GPT2Model names, plus a mask buffer per layer) and tokenizer.json. */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("config.json"), JSON.writeValueAsBytes(configJson()));
        Map<String, Entry> all = new LinkedHashMap<>(tensors);
        for (int l = 0; l < nLayer; l++) all.put("h." + l + ".attn.bias", new Entry(new int[] {1, 1, nPositions, nPositions}, new float[nPositions * nPositions]));
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
            Safetensors.write(out, all, Map.of("format", "pt"));
        }
        Files.write(dir.resolve("tokenizer.json"), tokenizerJson());
        return dir;
    }

    /** The same weights in two shards with model.safetensors.index.json, names with {@code transformer.}, and vocab.json + merges.txt. */
    Path writeSharded(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("config.json"), JSON.writeValueAsBytes(configJson()));
        List<String> names = new ArrayList<>(tensors.keySet());
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        for (int s = 0; s < 2; s++) {
            String file = "model-0000" + (s + 1) + "-of-00002.safetensors";
            Map<String, Entry> part = new LinkedHashMap<>();
            for (int i = s * names.size() / 2; i < (s + 1) * names.size() / 2; i++) {
                part.put("transformer." + names.get(i), tensors.get(names.get(i)));
                map.put("transformer." + names.get(i), file);
            }
            try (OutputStream out = Files.newOutputStream(dir.resolve(file))) {
                Safetensors.write(out, part, Map.of("format", "pt"));
            }
        }
        Files.write(dir.resolve("model.safetensors.index.json"), JSON.writeValueAsBytes(index));
        ObjectNode vocabJson = JSON.createObjectNode();
        String[] tokens = tokens();
        for (int i = 0; i < tokens.length; i++) vocabJson.put(tokens[i], i);
        Files.write(dir.resolve("vocab.json"), JSON.writeValueAsBytes(vocabJson));
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (String[] m : MERGES) merges.append(m[0]).append(' ').append(m[1]).append('\n');
        Files.writeString(dir.resolve("merges.txt"), merges);
        return dir;
    }

    /** GPT-2's byte-level alphabet ({@code bytes_to_unicode}). */
    static String byteChar(int b) {
        boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF;
        if (printable) return String.valueOf((char) b);
        int n = 0;
        for (int x = 0; x < b; x++) if (!(x >= '!' && x <= '~' || x >= 0xA1 && x <= 0xAC || x >= 0xAE && x <= 0xFF)) n++;
        return String.valueOf((char) (256 + n));
    }

    static String[] tokens() {
        String[] t = new String[VOCAB];
        for (int b = 0; b < 256; b++) t[b] = byteChar(b);
        for (int m = 0; m < MERGES.length; m++) t[256 + m] = MERGES[m][0] + MERGES[m][1];
        t[VOCAB - 1] = "<|endoftext|>";
        return t;
    }

    static byte[] tokenizerJson() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("added_tokens").addObject().put("id", VOCAB - 1).put("content", "<|endoftext|>").put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        ObjectNode v = model.putObject("vocab");
        String[] tokens = tokens();
        for (int i = 0; i < tokens.length; i++) v.put(tokens[i], i);
        var merges = model.putArray("merges");
        for (String[] m : MERGES) merges.add(m[0] + " " + m[1]);
        return JSON.writeValueAsBytes(root);
    }

    // ---- the reference: GPT-2's forward in double precision from the raw Hugging Face tensors ----

    private double[] t(String name) {
        float[] f = tensors.get(name).values();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** Logits (T × vocab) for one sequence. */
    double[][] logits(int[] ids) {
        int n = ids.length, c = nEmbd, hs = c / nHead;
        double[] wte = t("wte.weight"), wpe = t("wpe.weight");
        double[][] x = new double[n][c];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++) x[i][j] = wte[ids[i] * c + j] + wpe[i * c + j];
        for (int l = 0; l < nLayer; l++) {
            String p = "h." + l + ".";
            double[][] a = layerNorm(x, t(p + "ln_1.weight"), t(p + "ln_1.bias"));
            double[][] qkv = conv1d(a, t(p + "attn.c_attn.weight"), t(p + "attn.c_attn.bias"), 3 * c);
            double[][] y = new double[n][c];
            for (int h = 0; h < nHead; h++)
                for (int i = 0; i < n; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int d = 0; d < hs; d++) dot += qkv[i][h * hs + d] * qkv[j][c + h * hs + d];
                        s[j] = dot / Math.sqrt(hs);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= i; j++) sum += s[j] = Math.exp(s[j] - max);
                    for (int j = 0; j <= i; j++)
                        for (int d = 0; d < hs; d++) y[i][h * hs + d] += s[j] / sum * qkv[j][2 * c + h * hs + d];
                }
            add(x, conv1d(y, t(p + "attn.c_proj.weight"), t(p + "attn.c_proj.bias"), c));
            double[][] m = conv1d(layerNorm(x, t(p + "ln_2.weight"), t(p + "ln_2.bias")), t(p + "mlp.c_fc.weight"), t(p + "mlp.c_fc.bias"), 4 * c);
            for (double[] row : m)
                for (int j = 0; j < row.length; j++) row[j] = geluNew(row[j]);
            add(x, conv1d(m, t(p + "mlp.c_proj.weight"), t(p + "mlp.c_proj.bias"), c));
        }
        double[][] f = layerNorm(x, t("ln_f.weight"), t("ln_f.bias"));
        double[][] out = new double[n][vocab];
        for (int i = 0; i < n; i++)
            for (int v = 0; v < vocab; v++) {
                double dot = 0;
                for (int j = 0; j < c; j++) dot += f[i][j] * wte[v * c + j];
                out[i][v] = dot;
            }
        return out;
    }

    static double geluNew(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    private static double[][] layerNorm(double[][] x, double[] w, double[] b) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            int c = x[i].length;
            double mean = 0, var = 0;
            for (double v : x[i]) mean += v;
            mean /= c;
            for (double v : x[i]) var += (v - mean) * (v - mean);
            var /= c;
            out[i] = new double[c];
            for (int j = 0; j < c; j++) out[i][j] = (x[i][j] - mean) / Math.sqrt(var + 1e-5) * w[j] + b[j];
        }
        return out;
    }

    /** GPT-2's Conv1D: x (n × in) · w (in × out) + b. */
    private static double[][] conv1d(double[][] x, double[] w, double[] b, int outDim) {
        double[][] y = new double[x.length][outDim];
        for (int i = 0; i < x.length; i++)
            for (int o = 0; o < outDim; o++) {
                double s = b[o];
                for (int k = 0; k < x[i].length; k++) s += x[i][k] * w[k * outDim + o];
                y[i][o] = s;
            }
        return y;
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++)
            for (int j = 0; j < x[i].length; j++) x[i][j] += y[i][j];
    }
}
