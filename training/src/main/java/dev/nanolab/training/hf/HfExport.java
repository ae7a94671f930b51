package dev.nanolab.training.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.checkpoint.Safetensors.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a {@code gpt} checkpoint as a Hugging Face GPT-2 folder: {@code config.json} (GPT2LMHeadModel),
 * {@code model.safetensors} (Hugging Face names, Conv1D layout, the tied head not repeated), {@code tokenizer.json}
 * and {@code tokenizer_config.json} when the tokenizer is a byte-level BPE ({@code bpe}, {@code hf}), and
 * {@code generation_config.json}.
 *
 * <p>GPT-2-compatible means: architecture {@code gpt} with {@code softmax} attention. A model trained with
 * {@code bias: false} is written with zero biases, which computes exactly the same function (a zero bias adds
 * nothing, and LayerNorm without bias is LayerNorm with bias 0).
 */
public final class HfExport {
    private HfExport() {}

    static final String EOT = "<|endoftext|>";

    /**
     * Checks that a checkpoint is GPT-2-compatible.
     *
     * @param model the checkpoint config's {@code model} section (a name, or a map with {@code name} and options)
     * @throws IllegalArgumentException naming the property that Hugging Face's GPT2 cannot express
     */
    public static void check(Checkpoint ck, JsonNode model) {
        String arch = ck.state().architecture();
        if (!arch.equals("gpt")) throw new IllegalArgumentException("not GPT-2-compatible: the model is " + arch + ", and only gpt maps onto GPT2LMHeadModel");
        String attention = componentName(model, "attention", "softmax");
        if (!attention.equals("softmax"))
            throw new IllegalArgumentException("not GPT-2-compatible: model.attention is " + attention + ", and GPT2LMHeadModel computes softmax attention only");
        String embedding = componentName(model, "embedding", "token");
        if (!embedding.equals("token"))
            throw new IllegalArgumentException("not GPT-2-compatible: model.embedding is " + embedding + ", and GPT2LMHeadModel looks tokens up in a table only");
    }

    /** The component a model key names (a bare name or a map with a name), or the default when absent. */
    private static String componentName(JsonNode model, String key, String absent) {
        JsonNode n = model == null ? null : model.path(key);
        return n == null || n.isMissingNode() || n.isNull() ? absent : n.isTextual() ? n.textValue() : n.path("name").asText(absent);
    }

    /**
     * Writes the folder {@code out} (created if missing; files there of the same names are replaced).
     *
     * @param nHead the checkpoint's {@code model.n_head}
     * @param notes hears what was adapted or left out (zero biases, no tokenizer.json)
     * @throws IllegalArgumentException when the checkpoint is not GPT-2-compatible (see {@link #check})
     */
    public static void write(Checkpoint ck, JsonNode model, Path out, Consumer<String> notes) throws IOException {
        check(ck, model);
        int nHead = model.path("n_head").asInt(0);
        Map<String, Entry> ours = ck.model();
        Entry wte = require(ours, "transformer.wte.weight"), wpe = require(ours, "transformer.wpe.weight");
        int vocab = wte.shape()[0], nEmbd = wte.shape()[1], positions = wpe.shape()[0];
        int nLayer = 0;
        while (ours.containsKey("transformer.h." + nLayer + ".ln_1.weight")) nLayer++;
        if (nHead < 1 || nEmbd % nHead != 0) throw new IllegalArgumentException("the checkpoint's config has no usable model.n_head (" + model.path("n_head") + ")");
        Map<String, Entry> full = new LinkedHashMap<>();
        full.put("transformer.wte.weight", wte);
        full.put("transformer.wpe.weight", wpe);
        boolean zeroed = false;
        for (int l = 0; l < nLayer; l++) {
            String p = "transformer.h." + l + ".";
            for (var s : List.of(new String[] {"ln_1", "1"}, new String[] {"attn.c_attn", "3"}, new String[] {"attn.c_proj", "1"},
                    new String[] {"ln_2", "1"}, new String[] {"mlp.c_fc", "4"}, new String[] {"mlp.c_proj", "1"})) {
                full.put(p + s[0] + ".weight", require(ours, p + s[0] + ".weight"));
                zeroed |= putBias(full, ours, p + s[0] + ".bias", Integer.parseInt(s[1]) * nEmbd);
            }
        }
        full.put("transformer.ln_f.weight", require(ours, "transformer.ln_f.weight"));
        zeroed |= putBias(full, ours, "transformer.ln_f.bias", nEmbd);
        for (String k : ours.keySet())
            if (!full.containsKey(k)) throw new IllegalArgumentException("not GPT-2-compatible: the checkpoint has a tensor " + k + " that GPT2LMHeadModel has no place for");
        if (zeroed) notes.accept("the model has no biases (bias: false); wrote zero biases, which compute exactly the same function");
        Files.createDirectories(out);
        HfGpt2Config config = new HfGpt2Config(nLayer, nHead, nEmbd, positions, vocab);
        HfWeights.write(out, Gpt2Layout.toHf(full));
        Integer eot = writeTokenizer(ck, out, positions, notes);
        ObjectNode cj = config.toJson();
        ObjectNode gen = HfGpt2Config.JSON.createObjectNode();
        if (eot != null) {
            cj.put("bos_token_id", eot);
            cj.put("eos_token_id", eot);
            gen.put("bos_token_id", eot);
            gen.put("eos_token_id", eot);
        }
        write(out.resolve("config.json"), cj);
        write(out.resolve("generation_config.json"), gen);
    }

    private static Entry require(Map<String, Entry> ours, String name) {
        Entry e = ours.get(name);
        if (e == null) throw new IllegalArgumentException("not GPT-2-compatible: the checkpoint has no tensor " + name);
        return e;
    }

    /** Puts the bias, or zeros when the model has none; says whether it made zeros. */
    private static boolean putBias(Map<String, Entry> into, Map<String, Entry> ours, String name, int size) {
        Entry b = ours.get(name);
        into.put(name, b != null ? b : new Entry(new int[] {size}, new float[size]));
        return b == null;
    }

    /** Writes tokenizer.json and tokenizer_config.json when there is one to write; returns the end-of-text id, if any. */
    private static Integer writeTokenizer(Checkpoint ck, Path out, int positions, Consumer<String> notes) throws IOException {
        String name = ck.state().tokenizer();
        byte[] state = ck.state().tokenizerState();
        if (name.equals("tiktoken:gpt2") || name.equals("tiktoken:r50k_base")) {
            notes.accept("tokenizer " + name + ": no tokenizer.json written (nanolab holds only its ranks); GPT-2's own tokenizer gives the same ids: "
                    + "AutoTokenizer.from_pretrained(\"gpt2\"), or copy its tokenizer.json into " + out);
            return 50256;
        }
        if (!name.equals("bpe") && !name.equals("hf")) {
            notes.accept("tokenizer " + name + " has no Hugging Face tokenizer.json equivalent; wrote the model files only");
            return null;
        }
        JsonNode parsed = HfGpt2Config.JSON.readTree(state);
        byte[] json = parsed.has("model") ? state : HfTokenizerFiles.fromNanolabBpe(state);
        Files.write(out.resolve(HfTokenizerFiles.TOKENIZER_JSON), json);
        Integer eot = null;
        for (JsonNode t : HfGpt2Config.JSON.readTree(json).path("added_tokens"))
            if (t.path("content").asText().equals(EOT)) eot = t.path("id").asInt();
        ObjectNode tc = HfGpt2Config.JSON.createObjectNode();
        tc.put("tokenizer_class", eot != null ? "GPT2Tokenizer" : "PreTrainedTokenizerFast");
        tc.put("model_max_length", positions);
        tc.put("add_prefix_space", false);
        if (eot != null) for (String k : new String[] {"bos_token", "eos_token", "unk_token"}) tc.put(k, EOT);
        write(out.resolve("tokenizer_config.json"), tc);
        return eot;
    }

    private static void write(Path file, JsonNode json) throws IOException {
        Files.write(file, HfGpt2Config.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }
}
