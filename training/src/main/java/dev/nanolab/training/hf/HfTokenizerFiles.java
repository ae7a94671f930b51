package dev.nanolab.training.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A byte-level BPE tokenizer as Hugging Face's {@code tokenizer.json}: read from a model folder (its own
 * {@code tokenizer.json}, or one built from GPT-2's older pair {@code vocab.json} + {@code merges.txt}), or written
 * from the state of nanolab's {@code bpe} and {@code hf} tokenizers (the {@code nanolab-bpe} format, see
 * docs/tokenizers.md).
 */
public final class HfTokenizerFiles {
    private HfTokenizerFiles() {}

    public static final String TOKENIZER_JSON = "tokenizer.json", VOCAB = "vocab.json", MERGES = "merges.txt";
    /** GPT-2's pre-tokenizer pattern, as tiktoken and Hugging Face spell it: both are ByteLevel's {@code use_regex}. */
    static final Set<String> GPT2_PATTERNS = Set.of(
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
    private static final ObjectMapper JSON = HfGpt2Config.JSON;

    /** Whether the folder has a tokenizer in either form. */
    public static boolean present(Path folder) {
        return Files.isRegularFile(folder.resolve(TOKENIZER_JSON))
                || Files.isRegularFile(folder.resolve(VOCAB)) && Files.isRegularFile(folder.resolve(MERGES));
    }

    /**
     * The folder's tokenizer as {@code tokenizer.json} bytes.
     *
     * @throws IOException naming the folder when it has neither form, or the file that does not parse
     */
    public static byte[] read(Path folder) throws IOException {
        Path json = folder.resolve(TOKENIZER_JSON);
        if (Files.isRegularFile(json)) return Files.readAllBytes(json);
        Path vocab = folder.resolve(VOCAB), merges = folder.resolve(MERGES);
        if (!Files.isRegularFile(vocab) || !Files.isRegularFile(merges))
            throw new IOException(folder + " has no tokenizer: expected " + TOKENIZER_JSON + ", or " + VOCAB + " and " + MERGES);
        return fromVocabAndMerges(vocab, merges);
    }

    /** GPT-2's {@code vocab.json} + {@code merges.txt} as the equivalent {@code tokenizer.json}. */
    static byte[] fromVocabAndMerges(Path vocabFile, Path mergesFile) throws IOException {
        JsonNode vocab;
        try {
            vocab = JSON.readTree(vocabFile.toFile());
        } catch (IOException e) {
            throw new IOException(vocabFile + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (vocab == null || !vocab.isObject()) throw new IOException(vocabFile + " is not a JSON object of token → id");
        ArrayNode merges = JSON.createArrayNode();
        List<String> lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || i == 0 && line.startsWith("#version")) continue;
            if (line.split(" ").length != 2) throw new IOException(mergesFile + ": line " + (i + 1) + " is not two tokens separated by a space");
            merges.add(line);
        }
        ObjectNode model = bpeModel();
        model.set("vocab", vocab);
        model.set("merges", merges);
        ObjectNode root = skeleton(model, gpt2PreTokenizer(false));
        ArrayNode added = root.putArray("added_tokens");
        JsonNode eot = vocab.get("<|endoftext|>");
        if (eot != null && eot.canConvertToInt()) added.add(addedToken("<|endoftext|>", eot.intValue()));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * {@code tokenizer.json} for a {@code nanolab-bpe} state (the state of {@code bpe} and {@code hf}).
     *
     * @throws IllegalArgumentException when the state is not {@code nanolab-bpe} or not well-formed
     */
    public static byte[] fromNanolabBpe(byte[] state) {
        JsonNode s;
        try {
            s = JSON.readTree(state);
        } catch (IOException e) {
            throw new IllegalArgumentException("the tokenizer state is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!"nanolab-bpe".equals(s.path("format").asText()))
            throw new IllegalArgumentException("the tokenizer state is " + s.path("format").asText("?") + ", not nanolab-bpe");
        JsonNode tokens = s.path("tokens"), mergeIds = s.path("merges");
        ObjectNode vocab = JSON.createObjectNode();
        for (int id = 0; id < tokens.size(); id++)
            if (tokens.get(id).isTextual()) vocab.put(tokens.get(id).textValue(), id);
        ArrayNode merges = JSON.createArrayNode();
        for (JsonNode m : mergeIds) {
            JsonNode a = tokens.path(m.path(0).asInt(-1)), b = tokens.path(m.path(1).asInt(-1));
            if (!a.isTextual() || !b.isTextual()) throw new IllegalArgumentException("the tokenizer state has a merge " + m + " of ids that are not tokens");
            merges.add(a.textValue() + " " + b.textValue());
        }
        ObjectNode model = bpeModel();
        model.put("ignore_merges", s.path("ignore_merges").asBoolean(false));
        model.set("vocab", vocab);
        model.set("merges", merges);
        boolean prefix = s.path("add_prefix_space").asBoolean(false);
        JsonNode pattern = s.path("split_pattern");
        ObjectNode pre;
        if (pattern.isTextual() && !GPT2_PATTERNS.contains(pattern.textValue())) {
            pre = JSON.createObjectNode().put("type", "Sequence");
            ObjectNode split = pre.putArray("pretokenizers").addObject().put("type", "Split");
            split.putObject("pattern").put("Regex", pattern.textValue());
            split.put("behavior", "Isolated").put("invert", false);
            pre.withArray("pretokenizers").add(byteLevel(prefix, false));
        } else {
            pre = byteLevel(prefix, pattern.isTextual());
        }
        ObjectNode root = skeleton(model, pre);
        ArrayNode added = root.putArray("added_tokens");
        for (var it = s.path("special_tokens").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            added.add(addedToken(e.getKey(), e.getValue().asInt()));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode bpeModel() {
        ObjectNode m = JSON.createObjectNode();
        m.put("type", "BPE");
        m.putNull("dropout");
        m.putNull("unk_token");
        m.put("continuing_subword_prefix", "");
        m.put("end_of_word_suffix", "");
        m.put("fuse_unk", false);
        m.put("byte_fallback", false);
        m.put("ignore_merges", false);
        return m;
    }

    private static ObjectNode gpt2PreTokenizer(boolean prefix) {
        return byteLevel(prefix, true);
    }

    private static ObjectNode byteLevel(boolean prefix, boolean regex) {
        return JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", prefix).put("trim_offsets", true).put("use_regex", regex);
    }

    private static ObjectNode skeleton(ObjectNode model, ObjectNode pre) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        root.set("pre_tokenizer", pre);
        root.putNull("post_processor");
        root.set("decoder", byteLevel(false, true));
        root.set("model", model);
        return root;
    }

    private static ObjectNode addedToken(String content, int id) {
        return JSON.createObjectNode().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
    }
}
