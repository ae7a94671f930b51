package dev.nanolab.training.hf;

import dev.nanolab.training.checkpoint.Safetensors.Entry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How nanolab's {@code gpt} tensors and Hugging Face's GPT2LMHeadModel tensors correspond. The names are the same
 * (nanoGPT copied them), with {@code transformer.} in front as transformers' {@code save_pretrained} writes them;
 * files written from the bare GPT2Model (the original {@code gpt2} upload) lack the prefix, and both are read. The
 * four projections are Conv1D layers in GPT-2, stored (in, out): transposed relative to nanolab's Linear (out, in).
 * The LM head is tied to {@code wte}, so {@code lm_head.weight} is not written (transformers ties it on load), and
 * the causal-mask buffers ({@code attn.bias}, {@code attn.masked_bias}) of older files are ignored.
 */
public final class Gpt2Layout {
    private Gpt2Layout() {}

    static final String PREFIX = "transformer.", HEAD = "lm_head.weight";
    private static final Pattern CONV1D = Pattern.compile("transformer\\.h\\.\\d+\\.(attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)\\.weight");
    private static final Pattern MASK = Pattern.compile("(transformer\\.)?h\\.\\d+\\.attn\\.(bias|masked_bias)");

    /** Whether a nanolab tensor is stored transposed by Hugging Face. */
    static boolean conv1d(String nanolabName) {
        return CONV1D.matcher(nanolabName).matches();
    }

    /**
     * Hugging Face tensors under nanolab's names and layout, with {@code wpe} cropped to {@code blockSize} rows
     * (nanoGPT's {@code crop_block_size}).
     *
     * @throws IllegalArgumentException naming {@code source} and the tensor when the head is not tied
     */
    public static Map<String, Entry> toNanolab(Map<String, Entry> hf, int blockSize, String source) {
        Map<String, Entry> out = new LinkedHashMap<>();
        Entry head = null;
        for (var e : hf.entrySet()) {
            String name = e.getKey();
            if (MASK.matcher(name).matches()) continue;
            if (name.equals(HEAD)) {
                head = e.getValue();
                continue;
            }
            String ours = name.startsWith(PREFIX) ? name : PREFIX + name;
            Entry t = e.getValue();
            if (conv1d(ours)) t = transpose(t, ours, source);
            if (ours.equals(PREFIX + "wpe.weight") && t.shape().length == 2 && t.shape()[0] > blockSize) t = cropRows(t, blockSize);
            out.put(ours, t);
        }
        Entry wte = out.get(PREFIX + "wte.weight");
        if (head != null && wte != null && !Arrays.equals(head.values(), wte.values()))
            throw new IllegalArgumentException(source + ": lm_head.weight differs from transformer.wte.weight; nanolab's gpt ties them, so an untied head cannot be loaded");
        return out;
    }

    /** nanolab tensors under Hugging Face's names and layout; {@code lm_head.weight} is left out, as transformers does for a tied head. */
    public static Map<String, Entry> toHf(Map<String, Entry> nanolab) {
        Map<String, Entry> out = new LinkedHashMap<>();
        nanolab.forEach((name, t) -> out.put(name, conv1d(name) ? transpose(t, name, "checkpoint") : t));
        return out;
    }

    static Entry transpose(Entry t, String name, String source) {
        if (t.shape().length != 2) throw new IllegalArgumentException(source + ": tensor " + name + " has shape " + Arrays.toString(t.shape()) + "; expected a matrix");
        int rows = t.shape()[0], cols = t.shape()[1];
        float[] v = t.values(), o = new float[v.length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) o[c * rows + r] = v[r * cols + c];
        return new Entry(new int[] {cols, rows}, o);
    }

    static Entry cropRows(Entry t, int rows) {
        int cols = t.shape()[1];
        return new Entry(new int[] {rows, cols}, Arrays.copyOf(t.values(), rows * cols));
    }
}
