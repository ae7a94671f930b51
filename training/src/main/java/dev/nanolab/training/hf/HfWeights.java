package dev.nanolab.training.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanolab.training.checkpoint.Safetensors;
import dev.nanolab.training.checkpoint.Safetensors.Entry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The weights of a Hugging Face folder: {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name → shard file). F32 tensors only (GPT-2's
 * published weights are F32).
 */
public final class HfWeights {
    private HfWeights() {}

    public static final String SINGLE = "model.safetensors", INDEX = "model.safetensors.index.json";

    /**
     * Reads every tensor of the folder under the names in the files.
     *
     * @throws IOException naming the file that is missing, unreadable, or does not hold what the index says
     */
    public static Map<String, Entry> read(Path folder) throws IOException {
        Path single = folder.resolve(SINGLE), index = folder.resolve(INDEX);
        if (Files.isRegularFile(single)) return Safetensors.read(single).tensors();
        if (!Files.isRegularFile(index)) {
            String hint = Files.exists(folder.resolve("pytorch_model.bin"))
                    ? " (it has pytorch_model.bin: convert it to safetensors first, e.g. with transformers' save_pretrained(dir, safe_serialization=True))" : "";
            throw new IOException(folder + " has neither " + SINGLE + " nor " + INDEX + hint);
        }
        JsonNode map;
        try {
            map = HfGpt2Config.JSON.readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new IOException(index + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (!map.isObject() || map.isEmpty()) throw new IOException(index + " has no weight_map");
        TreeSet<String> shards = new TreeSet<>();
        map.fields().forEachRemaining(f -> shards.add(f.getValue().asText()));
        Map<String, Entry> all = new LinkedHashMap<>();
        for (String shard : shards) {
            Path p = folder.resolve(shard).normalize();
            if (!p.startsWith(folder.normalize()) || !Files.isRegularFile(p))
                throw new IOException(index + " names shard " + shard + ", which is not a file in " + folder);
            all.putAll(Safetensors.read(p).tensors());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!all.containsKey(f.getKey()))
                throw new IOException(folder.resolve(f.getValue().asText()) + " has no tensor " + f.getKey() + ", which " + index.getFileName() + " places there");
        }
        return all;
    }

    /** Writes one {@code model.safetensors} with the metadata transformers expects ({@code format: pt}). */
    public static void write(Path folder, Map<String, Entry> tensors) throws IOException {
        try (OutputStream out = Files.newOutputStream(folder.resolve(SINGLE))) {
            Safetensors.write(out, tensors, Map.of("format", "pt"));
        }
    }
}
