package dev.nanolab.tokenizers.bpe;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.tokenizers.codec.StateReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code nanolab-bpe} file format, the state of the {@code bpe} and {@code hf} tokenizers: UTF-8 JSON, one
 * token and one merge per line so that two files diff well.
 *
 * <pre>{@code
 * {
 *   "format": "nanolab-bpe",
 *   "version": 1,
 *   "split_pattern": "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
 *   "add_prefix_space": false,
 *   "ignore_merges": false,
 *   "special_tokens": {"<|endoftext|>": 4095},
 *   "tokens": [
 *     "Ā",          // id 0: the byte 0x00
 *     ...
 *     "Ġt",         // id 256: the bytes 0x20 0x74
 *     null          // id 4095: a special token (or an unassigned id)
 *   ],
 *   "merges": [
 *     [32, 116],    // rank 0: tokens 32 and 116 make the token whose bytes are theirs joined
 *     ...
 *   ]
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code split_pattern}: the pre-tokenizer, a {@link java.util.regex.Pattern} compiled with
 *   {@code UNICODE_CHARACTER_CLASS} whose matches (and any text between them) are encoded one by one; null means
 *   the whole text is one piece. The GPT-2 pattern above is tiktoken's spelling of GPT-2's.</li>
 *   <li>{@code add_prefix_space}, {@code ignore_merges}: HuggingFace's ByteLevel and BPE options of the same name,
 *   false for trained models.</li>
 *   <li>{@code tokens}: the bytes of each id in GPT-2's byte-level alphabet ({@link ByteLevelAlphabet}: one
 *   character per byte, a space is {@code Ġ}), the same spelling as HuggingFace's {@code tokenizer.json}; null for a
 *   special token's id or an unassigned one. The array's length is the vocabulary size.</li>
 *   <li>{@code merges}: pairs of token ids, highest priority first. The pair's bytes joined must be a token.</li>
 * </ul>
 *
 * The same model always gives the same bytes.
 */
public final class BpeFile {
    public static final String FORMAT = "nanolab-bpe";
    public static final int VERSION = 1;

    private BpeFile() {}

    public static byte[] write(BpeModel model) {
        StringBuilder out = new StringBuilder(model.vocabSize() * 24);
        out.append("{\n  \"format\": ").append(quote(FORMAT)).append(",\n  \"version\": ").append(VERSION);
        out.append(",\n  \"split_pattern\": ").append(model.splitPattern() == null ? "null" : quote(model.splitPattern()));
        out.append(",\n  \"add_prefix_space\": ").append(model.addPrefixSpace());
        out.append(",\n  \"ignore_merges\": ").append(model.ignoreMerges());
        out.append(",\n  \"special_tokens\": {");
        String sep = "";
        for (Map.Entry<String, Integer> e : model.specialTokens().entrySet()) {
            out.append(sep).append(quote(e.getKey())).append(": ").append(e.getValue());
            sep = ", ";
        }
        out.append("},\n  \"tokens\": [");
        for (int id = 0; id < model.vocabSize(); id++) {
            byte[] token = model.tokenUnsafe(id);
            out.append(id == 0 ? "\n    " : ",\n    ").append(token == null ? "null" : quote(ByteLevelAlphabet.toText(token)));
        }
        out.append("\n  ],\n  \"merges\": [");
        int[] left = model.mergeLefts(), right = model.mergeRights();
        for (int r = 0; r < left.length; r++)
            out.append(r == 0 ? "\n    [" : ",\n    [").append(left[r]).append(", ").append(right[r]).append(']');
        out.append(left.length == 0 ? "]\n}\n" : "\n  ]\n}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    /**
     * Reads a model from this format.
     *
     * @throws IllegalArgumentException with a one-line message naming the first problem
     */
    public static BpeModel read(byte[] state) {
        StateReader in = StateReader.open(state, FORMAT, VERSION);
        ObjectNode root = in.root();
        String pattern = null;
        JsonNode p = root.get("split_pattern");
        if (p != null && !p.isNull()) {
            if (!p.isTextual()) throw in.invalid("'split_pattern' must be a string or null, not " + StateReader.kind(p));
            pattern = p.textValue();
        }
        boolean addPrefixSpace = in.bool("add_prefix_space");
        boolean ignoreMerges = in.bool("ignore_merges");

        Map<String, Integer> specials = new LinkedHashMap<>();
        ObjectNode specialNode = in.object("special_tokens");
        for (Map.Entry<String, JsonNode> e : specialNode.properties()) {
            specials.put(e.getKey(), in.integer(e.getValue(), "special token '" + e.getKey() + "'"));
        }

        ArrayNode tokenNode = in.array("tokens");
        byte[][] tokens = new byte[tokenNode.size()][];
        for (int id = 0; id < tokens.length; id++) {
            JsonNode t = tokenNode.get(id);
            if (t.isNull()) continue;
            if (!t.isTextual()) throw in.invalid("tokens[" + id + "] must be a string or null, not " + StateReader.kind(t));
            tokens[id] = ByteLevelAlphabet.toBytes(t.textValue());
            if (tokens[id] == null)
                throw in.invalid("tokens[" + id + "] = '" + t.textValue() + "' has a character outside the byte-level alphabet");
        }

        ArrayNode mergeNode = in.array("merges");
        int[][] merges = new int[mergeNode.size()][];
        for (int r = 0; r < merges.length; r++) {
            JsonNode m = mergeNode.get(r);
            if (!m.isArray() || m.size() != 2) throw in.invalid("merges[" + r + "] must be a pair [left, right] of ids");
            merges[r] = new int[] {in.integer(m.get(0), "merges[" + r + "][0]"), in.integer(m.get(1), "merges[" + r + "][1]")};
        }
        try {
            return new BpeModel(tokens, merges, specials, pattern, addPrefixSpace, ignoreMerges);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
