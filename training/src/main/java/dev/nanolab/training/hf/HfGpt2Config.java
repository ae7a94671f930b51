package dev.nanolab.training.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The part of a Hugging Face GPT-2 {@code config.json} that fixes nanolab's {@code gpt} model: {@code n_layer},
 * {@code n_head}, {@code n_embd}, {@code n_positions} (→ {@code block_size}), {@code vocab_size}; checked to be what
 * nanolab computes: {@code layer_norm_epsilon} 1e-5, {@code activation_function} {@code gelu_new} (the tanh GELU),
 * tied word embeddings.
 */
public record HfGpt2Config(int nLayer, int nHead, int nEmbd, int nPositions, int vocabSize) {
    static final ObjectMapper JSON = new ObjectMapper();
    /** nanolab's LayerNorm epsilon, the only one it computes. */
    static final double EPS = 1e-5;

    /**
     * Reads {@code config.json}.
     *
     * @throws IOException naming the file and the key that is missing or that nanolab cannot compute
     */
    public static HfGpt2Config read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + " does not exist: a Hugging Face model folder has a config.json");
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) throw new IOException(file + " is not a JSON object");
        String type = root.path("model_type").asText("gpt2");
        if (!type.equals("gpt2")) throw new IOException(file + ": model_type is " + type + "; only gpt2 maps onto nanolab's gpt");
        String act = root.path("activation_function").asText("gelu_new");
        if (!act.equals("gelu_new") && !act.equals("gelu_pytorch_tanh"))
            throw new IOException(file + ": activation_function is " + act + "; nanolab's gpt computes gelu_new (the tanh GELU) only");
        double eps = root.path("layer_norm_epsilon").asDouble(EPS);
        if (Math.abs(eps - EPS) > 1e-12)
            throw new IOException(file + ": layer_norm_epsilon is " + eps + "; nanolab's LayerNorm uses 1e-05 only");
        if (!root.path("tie_word_embeddings").asBoolean(true))
            throw new IOException(file + ": tie_word_embeddings is false; nanolab's gpt ties the LM head to the token embedding");
        for (String flag : new String[] {"scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"})
            if (root.path(flag).asBoolean(false)) throw new IOException(file + ": " + flag + " is true; nanolab's gpt does not compute it");
        if (!root.path("scale_attn_weights").asBoolean(true))
            throw new IOException(file + ": scale_attn_weights is false; nanolab's gpt scales scores by 1/sqrt(head size)");
        HfGpt2Config c = new HfGpt2Config(positive(root, "n_layer", file), positive(root, "n_head", file),
                positive(root, "n_embd", file), positive(root, "n_positions", file), positive(root, "vocab_size", file));
        if (c.nEmbd % c.nHead != 0) throw new IOException(file + ": n_embd " + c.nEmbd + " is not divisible by n_head " + c.nHead);
        if (root.has("n_inner") && !root.get("n_inner").isNull() && root.get("n_inner").asInt() != 4 * c.nEmbd)
            throw new IOException(file + ": n_inner is " + root.get("n_inner") + "; nanolab's gpt has an MLP 4 x n_embd wide (" + 4 * c.nEmbd + ")");
        return c;
    }

    private static int positive(JsonNode root, String key, Path file) throws IOException {
        JsonNode n = root.path(key);
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < 1)
            throw new IOException(file + ": " + key + " is " + (n.isMissingNode() ? "missing" : n.toString()) + "; expected a positive integer");
        return n.intValue();
    }

    /** {@code config.json} as transformers writes it for GPT2LMHeadModel. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add("GPT2LMHeadModel");
        o.put("model_type", "gpt2");
        o.put("vocab_size", vocabSize);
        o.put("n_positions", nPositions);
        o.put("n_ctx", nPositions);
        o.put("n_embd", nEmbd);
        o.put("n_layer", nLayer);
        o.put("n_head", nHead);
        o.putNull("n_inner");
        o.put("activation_function", "gelu_new");
        o.put("resid_pdrop", 0.0);
        o.put("embd_pdrop", 0.0);
        o.put("attn_pdrop", 0.0);
        o.put("layer_norm_epsilon", EPS);
        o.put("initializer_range", 0.02);
        o.put("scale_attn_weights", true);
        o.put("use_cache", true);
        o.put("tie_word_embeddings", true);
        o.put("torch_dtype", "float32");
        return o;
    }
}
