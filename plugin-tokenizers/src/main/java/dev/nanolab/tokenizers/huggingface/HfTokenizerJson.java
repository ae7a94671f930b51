package dev.nanolab.tokenizers.huggingface;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanolab.tokenizers.bpe.BpeConfig;
import dev.nanolab.tokenizers.bpe.BpeModel;
import dev.nanolab.tokenizers.bpe.ByteLevelAlphabet;
import dev.nanolab.tokenizers.codec.StateReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a HuggingFace {@code tokenizer.json} of the byte-level BPE kind (GPT-2, RoBERTa, GPT-NeoX, Llama 3 ...)
 * into a {@link BpeModel}.
 *
 * <p>Accepted: {@code model.type} BPE with {@code vocab} and {@code merges} (as {@code "a b"} strings or
 * {@code ["a", "b"]} pairs) and {@code ignore_merges}; a {@code ByteLevel} pre-tokenizer (its {@code use_regex} is
 * GPT-2's split, {@code add_prefix_space} is kept), or a {@code Sequence} of {@code Split} (regex or string pattern,
 * behaviour {@code Isolated}) then {@code ByteLevel} without regex; a {@code ByteLevel} decoder or none; no
 * normalizer. {@code added_tokens} become special tokens, encoded only where allowed.
 *
 * <p>Not applied: post-processors (e.g. templates that add a BOS token): {@code encode} gives the tokens of the text
 * itself. Everything else in a byte-level file (normalizers, byte fallback, subword prefixes, dropout) is refused
 * with a one-line message, rather than tokenising differently from HuggingFace. Files that are not byte-level
 * ({@link #isByteLevel}) are read by {@link dev.nanolab.tokenizers.huggingface.pipeline.PipelineReader} instead.
 */
final class HfTokenizerJson {
    private final String source;

    private HfTokenizerJson(String source) {
        this.source = source;
    }

    static BpeModel read(byte[] json, String source) {
        return read(StateReader.parse(json, source), source);
    }

    static BpeModel read(JsonNode root, String source) {
        return new HfTokenizerJson(source).read(root);
    }

    /**
     * Whether a tokenizer.json is of the byte-level kind this class reads: a BPE model (or none named) with a
     * ByteLevel pre-tokenizer, a Sequence holding one, or a ByteLevel decoder. Other files go to the pipeline.
     */
    static boolean isByteLevel(JsonNode root) {
        if (!root.path("model").path("type").asText("BPE").equals("BPE")) return false;
        JsonNode pre = root.path("pre_tokenizer");
        if (pre.path("type").asText("").equals("ByteLevel")) return true;
        if (pre.path("type").asText("").equals("Sequence"))
            for (JsonNode step : pre.path("pretokenizers"))
                if (step.path("type").asText("").equals("ByteLevel")) return true;
        return root.path("decoder").path("type").asText("").equals("ByteLevel");
    }

    private IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException(source + ": " + StateReader.oneLine(problem));
    }

    private BpeModel read(JsonNode root) {
        if (!root.isObject()) throw invalid("expected a JSON object, got " + StateReader.kind(root));
        JsonNode model = root.path("model");
        if (!model.isObject()) throw invalid("has no 'model' object");
        String type = model.path("type").asText("BPE");
        if (!type.equals("BPE")) throw invalid("model.type is " + type + "; only byte-level BPE is supported");
        if (!root.path("normalizer").isMissingNode() && !root.path("normalizer").isNull())
            throw invalid("normalizer " + root.path("normalizer").path("type").asText("?") + " is not supported");
        if (model.path("byte_fallback").asBoolean(false))
            throw invalid("model.byte_fallback is set: that is a SentencePiece-style BPE, not a byte-level one");
        for (String affix : new String[] {"continuing_subword_prefix", "end_of_word_suffix"})
            if (!model.path(affix).asText("").isEmpty())
                throw invalid("model." + affix + " is set: not a byte-level BPE");
        if (model.path("dropout").isNumber() && model.path("dropout").doubleValue() > 0)
            throw invalid("model.dropout is set: encoding would be random");
        JsonNode decoder = root.path("decoder");
        if (!decoder.isMissingNode() && !decoder.isNull() && !decoder.path("type").asText("").equals("ByteLevel"))
            throw invalid("decoder " + decoder.path("type").asText("?") + " is not ByteLevel: not a byte-level BPE");

        Split pre = split(root.path("pre_tokenizer"));

        JsonNode vocab = model.path("vocab");
        if (!vocab.isObject()) throw invalid("model.vocab is not an object of token -> id");
        Map<String, Integer> ids = new HashMap<>();
        int size = 0;
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            if (!e.getValue().canConvertToInt() || e.getValue().intValue() < 0)
                throw invalid("model.vocab['" + e.getKey() + "'] is not a token id");
            ids.put(e.getKey(), e.getValue().intValue());
            size = Math.max(size, e.getValue().intValue() + 1);
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (JsonNode added : root.path("added_tokens")) {
            if (!added.path("id").canConvertToInt() || !added.path("content").isTextual())
                throw invalid("an added token lacks its id or content");
            specials.put(added.path("content").textValue(), added.path("id").intValue());
            size = Math.max(size, added.path("id").intValue() + 1);
        }
        // Ids are 0..n−1 over the vocab and the added tokens: a larger one is a hole (or a fuzzed file), not a vocab.
        if (size > ids.size() + specials.size())
            throw invalid("token id " + (size - 1) + " is beyond the " + (ids.size() + specials.size())
                    + " tokens the file lists (ids must run from 0 without gaps)");
        byte[][] tokens = new byte[size][];
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            int id = e.getValue();
            if (specials.containsValue(id)) continue;
            if (tokens[id] != null) throw invalid("model.vocab gives id " + id + " to two tokens");
            tokens[id] = ByteLevelAlphabet.toBytes(e.getKey());
            if (tokens[id] == null)
                throw invalid("vocab token '" + e.getKey() + "' (id " + id + ") is not written in the byte-level"
                        + " alphabet: not a byte-level BPE");
        }

        JsonNode mergeList = model.path("merges");
        if (!mergeList.isArray()) throw invalid("model.merges is not an array");
        int[][] merges = new int[mergeList.size()][];
        for (int r = 0; r < merges.length; r++) {
            String[] pair = mergePair(mergeList.get(r), r);
            merges[r] = new int[2];
            for (int k = 0; k < 2; k++) {
                Integer id = ids.get(pair[k]);
                if (id == null) throw invalid("merge " + r + " uses '" + pair[k] + "', which is not in model.vocab");
                merges[r][k] = id;
            }
        }
        try {
            return new BpeModel(tokens, merges, specials, pre.pattern, pre.addPrefixSpace,
                    model.path("ignore_merges").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private String[] mergePair(JsonNode merge, int rank) {
        if (merge.isTextual()) {
            String[] parts = merge.textValue().split(" ", -1);
            if (parts.length == 2) return parts;
        } else if (merge.isArray() && merge.size() == 2 && merge.get(0).isTextual() && merge.get(1).isTextual()) {
            return new String[] {merge.get(0).textValue(), merge.get(1).textValue()};
        }
        throw invalid("merge " + rank + " is not \"left right\" or [left, right]");
    }

    private record Split(String pattern, boolean addPrefixSpace) {}

    /** GPT-2's split, which HuggingFace's ByteLevel applies with {@code use_regex}. */
    private static final String GPT2_PATTERN = BpeConfig.PreTokenizer.GPT2.pattern();

    private Split split(JsonNode pre) {
        if (pre.isMissingNode() || pre.isNull()) throw invalid("has no pre_tokenizer: not a byte-level BPE");
        String type = pre.path("type").asText("");
        if (type.equals("ByteLevel")) {
            boolean regex = pre.path("use_regex").asBoolean(true);
            return new Split(regex ? GPT2_PATTERN : null, pre.path("add_prefix_space").asBoolean(false));
        }
        if (type.equals("Sequence")) {
            JsonNode steps = pre.path("pretokenizers");
            if (steps.size() == 2 && steps.get(0).path("type").asText("").equals("Split")
                    && steps.get(1).path("type").asText("").equals("ByteLevel")
                    && !steps.get(1).path("use_regex").asBoolean(true)) {
                JsonNode split = steps.get(0);
                if (!split.path("behavior").asText("").equals("Isolated") || split.path("invert").asBoolean(false))
                    throw invalid("a Split pre-tokenizer with behavior " + split.path("behavior").asText("?")
                            + (split.path("invert").asBoolean(false) ? " and invert" : "") + " is not supported (only Isolated)");
                JsonNode p = split.path("pattern");
                String pattern = p.path("Regex").isTextual() ? p.path("Regex").textValue()
                        : p.path("String").isTextual() ? Pattern.quote(p.path("String").textValue()) : null;
                if (pattern == null) throw invalid("the Split pre-tokenizer has no Regex or String pattern");
                return new Split(pattern, steps.get(1).path("add_prefix_space").asBoolean(false));
            }
        }
        throw invalid("pre_tokenizer " + (type.isEmpty() ? "?" : type) + " is not supported (ByteLevel, or Split then"
                + " ByteLevel without regex)");
    }
}
