package dev.nanolab.training.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.checkpoint.Safetensors.Entry;
import dev.nanolab.training.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code init_from: FOLDER}: a Hugging Face GPT-2 folder as the start of a run. {@link #configure} makes the config
 * describe it before binding (the model becomes {@code gpt} with bias and config.json's sizes, the tokenizer
 * {@code hf} on the folder's tokenizer), and {@link #loadInto} copies its weights into the built model, cropping the
 * position embeddings to a smaller {@code block_size} as nanoGPT's {@code crop_block_size} does.
 */
public record HfInit(Path folder, HfGpt2Config config) {
    /** Where the tokenizer.json made from vocab.json + merges.txt is kept, under {@code data.dir}. */
    static final String CONVERTED = "hf-tokenizers";

    /**
     * Opens a folder.
     *
     * @throws IOException naming the folder or its file that is missing or unusable
     */
    public static HfInit open(Path folder) throws IOException {
        if (!Files.isDirectory(folder))
            throw new IOException("init_from " + folder + " is not a folder (expected scratch, resume, or a Hugging Face GPT-2 folder with config.json)");
        HfGpt2Config c = HfGpt2Config.read(folder.resolve("config.json"));
        if (!HfTokenizerFiles.present(folder))
            throw new IOException(folder + " has no tokenizer: expected tokenizer.json, or vocab.json and merges.txt");
        return new HfInit(folder, c);
    }

    /**
     * When the config tree's {@code init_from} names a folder, sets {@code model} (gpt, its sizes from config.json,
     * bias on, {@code block_size} the smaller of the configured one and {@code n_positions}) and {@code tokenizer}
     * ({@code hf} on the folder's tokenizer.json, or on one made from vocab.json + merges.txt under data.dir); other
     * trees are returned as they are.
     */
    public static ObjectNode configure(ObjectNode tree) throws IOException {
        JsonNode init = tree.get("init_from");
        if (init == null || !init.isTextual()) return tree;
        String value = init.textValue();
        if (value.isBlank() || value.equals(RunConfig.SCRATCH) || value.equals(RunConfig.RESUME)) return tree;
        HfInit hf = open(Path.of(value));
        JsonNode old = tree.get("model");
        ObjectNode model = tree.objectNode();
        boolean wasGpt = old != null && (old.isTextual() ? old.textValue() : old.path("name").asText("gpt")).equals("gpt");
        int block = hf.config.nPositions();
        if (wasGpt && old.isObject()) {
            if (old.path("block_size").canConvertToInt()) block = Math.min(block, old.path("block_size").intValue());
            for (String keep : new String[] {"dropout", "attention"}) if (old.has(keep)) model.set(keep, old.get(keep));
        }
        model.put("name", "gpt");
        model.put("n_layer", hf.config.nLayer());
        model.put("n_head", hf.config.nHead());
        model.put("n_embd", hf.config.nEmbd());
        model.put("block_size", block);
        model.put("vocab_size", hf.config.vocabSize());
        model.put("bias", true);
        tree.set("model", model);
        ObjectNode tok = tree.objectNode();
        tok.put("name", "hf");
        tok.put("path", hf.tokenizerPath(Path.of(tree.path("data").path("dir").asText("data"))).toString());
        tree.set("tokenizer", tok);
        return tree;
    }

    /** The folder's tokenizer.json, or one made from its vocab.json + merges.txt and kept under {@code dataDir}. */
    Path tokenizerPath(Path dataDir) throws IOException {
        Path own = folder.resolve(HfTokenizerFiles.TOKENIZER_JSON);
        if (Files.isRegularFile(own)) return own.toAbsolutePath();
        byte[] json = HfTokenizerFiles.read(folder);
        Path out = dataDir.resolve(CONVERTED).resolve(sha256(json).substring(0, 16) + "-tokenizer.json").toAbsolutePath();
        if (!Files.isRegularFile(out)) {
            Files.createDirectories(out.getParent());
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.write(tmp, json);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    /** The folder's weights under nanolab's names and layout, {@code wpe} cropped to {@code blockSize}. */
    public Map<String, Entry> weights(int blockSize) throws IOException {
        if (blockSize > config.nPositions())
            throw new IOException(folder + ": block_size " + blockSize + " is larger than the model's n_positions " + config.nPositions());
        try {
            return Gpt2Layout.toNanolab(HfWeights.read(folder), blockSize, folder.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The tokenizer as tokenizer.json bytes (what the {@code hf} tokenizer loads). */
    public byte[] tokenizerJson() throws IOException {
        return HfTokenizerFiles.read(folder);
    }

    /**
     * Copies the folder's weights into a freshly built {@code gpt}.
     *
     * @throws IOException naming the folder and the first tensor that does not fit
     */
    public void loadInto(LanguageModel model) throws IOException {
        Map<String, Entry> w = weights(model.blockSize());
        try {
            Checkpoint.load(w, Checkpoint.modelTensors(model), "Hugging Face folder " + folder);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
