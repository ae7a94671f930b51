package dev.nanolab.tokenizers.huggingface;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.tokenizers.bpe.ByteLevelAlphabet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds GPT-2's HuggingFace {@code tokenizer.json} from the ranks jtokkit ships (tiktoken's r50k_base), since none
 * can be downloaded here.
 *
 * <p>A tiktoken rank file has only tokens, no merges. Each multi-byte token of rank r was made by merging two
 * tokens of lower rank; which two is found by running tiktoken's BPE on the token's own bytes with only the ranks
 * below r: it stops at exactly two parts, and they are the merge. The merge list in rank order, with the vocabulary
 * written in the byte-level alphabet, is the tokenizer.json.
 */
final class Gpt2TokenizerJson {
    private Gpt2TokenizerJson() {}

    static byte[] build() throws IOException {
        Map<String, Integer> ranks = new HashMap<>();
        List<byte[]> byRank = new ArrayList<>();
        try (InputStream in = com.knuddels.jtokkit.Encodings.class.getResourceAsStream("/com/knuddels/jtokkit/r50k_base.tiktoken");
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isEmpty()) continue;
                String[] parts = line.split(" ");
                byte[] token = Base64.getDecoder().decode(parts[0]);
                int rank = Integer.parseInt(parts[1]);
                if (rank != byRank.size()) throw new IllegalStateException("ranks are not 0, 1, 2, ...: " + rank);
                byRank.add(token);
                ranks.put(key(token), rank);
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode eot = root.putArray("added_tokens").addObject();
        eot.put("id", 50256).put("content", "<|endoftext|>").put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", true).put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putObject("post_processor").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").putNull("unk_token").put("continuing_subword_prefix", "")
                .put("end_of_word_suffix", "").put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        ArrayNode merges = model.putArray("merges");
        for (int rank = 0; rank < byRank.size(); rank++) {
            byte[] token = byRank.get(rank);
            vocab.put(ByteLevelAlphabet.toText(token), rank);
            if (token.length == 1) continue;
            List<byte[]> parts = mergeBelow(ranks, token, rank);
            if (parts.size() != 2) throw new IllegalStateException("token " + rank + " is not one merge of lower ranks");
            merges.add(ByteLevelAlphabet.toText(parts.get(0)) + " " + ByteLevelAlphabet.toText(parts.get(1)));
        }
        vocab.put("<|endoftext|>", 50256);
        return json.writeValueAsBytes(root);
    }

    /** tiktoken's byte-pair merge of {@code token} using only ranks below {@code maxRank}. */
    private static List<byte[]> mergeBelow(Map<String, Integer> ranks, byte[] token, int maxRank) {
        List<byte[]> parts = new ArrayList<>();
        for (byte b : token) parts.add(new byte[] {b});
        while (true) {
            int at = -1, best = maxRank;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = ranks.get(key(concat(parts.get(i), parts.get(i + 1))));
                if (r != null && r < best) {
                    best = r;
                    at = i;
                }
            }
            if (at < 0) return parts;
            parts.set(at, concat(parts.get(at), parts.remove(at + 1)));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
