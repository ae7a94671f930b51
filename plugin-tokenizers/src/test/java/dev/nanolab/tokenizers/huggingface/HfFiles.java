package dev.nanolab.tokenizers.huggingface;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Small tokenizer.json files of the three non-byte-level kinds, laid out as HuggingFace writes them for BERT, Llama
 * and T5, with a handful of tokens each so that the expected ids can be worked out by hand.
 */
final class HfFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    private HfFiles() {}

    static Tokenizer load(ObjectNode json) {
        try {
            return new HfTokenizerFactory(new HfConfig()).load(JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void addedToken(ObjectNode root, int id, String content) {
        root.withArray("added_tokens").addObject().put("id", id).put("content", content).put("single_word", false)
                .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
    }

    static ObjectNode pattern(String kind, String value) {
        ObjectNode p = JSON.createObjectNode();
        p.put(kind, value);
        return p;
    }

    // ---- BERT: WordPiece ----

    static final String[] BERT_VOCAB = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "the", "cafe",
            "!", "##s", "a", "##a", "中", ",", "."};

    /**
     * BERT uncased: BertNormalizer (clean_text, handle_chinese_chars, strip_accents null, lowercase),
     * BertPreTokenizer, WordPiece with ## and max_input_chars_per_word 9, WordPiece decoder with cleanup.
     */
    static ObjectNode bert() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        for (int id = 0; id < 4; id++) addedToken(root, id, BERT_VOCAB[id]);
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true)
                .put("handle_chinese_chars", true).putNull("strip_accents").put("lowercase", true);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        root.putObject("post_processor").put("type", "TemplateProcessing");
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model").put("type", "WordPiece").put("unk_token", "[UNK]")
                .put("continuing_subword_prefix", "##").put("max_input_chars_per_word", 9);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < BERT_VOCAB.length; id++) vocab.put(BERT_VOCAB[id], id);
        return root;
    }

    // ---- Llama: BPE over characters with byte fallback ----

    /** Ids of the Llama-style file: <unk> 0, <s> 1, </s> 2, <0x00>..<0xFF> 3..258, then these from 259. */
    static final String[] LLAMA_PIECES = {"▁", "h", "e", "l", "o", "w", "r", "d", "▁h", "ll", "▁he", "llo", "▁hello",
            "or", "▁w"};
    static final String[] LLAMA_MERGES = {"▁ h", "l l", "▁h e", "ll o", "▁he llo", "o r", "▁ w"};

    static int llama(String piece) {
        for (int i = 0; i < LLAMA_PIECES.length; i++) if (LLAMA_PIECES[i].equals(piece)) return 259 + i;
        throw new IllegalArgumentException(piece);
    }

    static int llamaByte(int b) {
        return 3 + b;
    }

    /**
     * Llama 2: normalizer Sequence[Prepend(▁), Replace(" " → ▁)], no pre-tokenizer, BPE with byte_fallback and
     * fuse_unk, decoder Sequence[Replace(▁ → " "), ByteFallback, Fuse, Strip(" ", 1, 0)].
     */
    static ObjectNode llama() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        addedToken(root, 0, "<unk>");
        addedToken(root, 1, "<s>");
        addedToken(root, 2, "</s>");
        ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
        normalizers.addObject().put("type", "Prepend").put("prepend", "▁");
        normalizers.addObject().put("type", "Replace").<ObjectNode>set("pattern", pattern("String", " ")).put("content", "▁");
        root.putNull("pre_tokenizer");
        ArrayNode decoders = root.putObject("decoder").put("type", "Sequence").putArray("decoders");
        decoders.addObject().put("type", "Replace").<ObjectNode>set("pattern", pattern("String", "▁")).put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model").put("type", "BPE").putNull("dropout").put("unk_token", "<unk>")
                .putNull("continuing_subword_prefix").putNull("end_of_word_suffix").put("fuse_unk", true)
                .put("byte_fallback", true).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        vocab.put("<unk>", 0).put("<s>", 1).put("</s>", 2);
        for (int b = 0; b < 256; b++) vocab.put(String.format("<0x%02X>", b), llamaByte(b));
        for (String piece : LLAMA_PIECES) vocab.put(piece, llama(piece));
        ArrayNode merges = model.putArray("merges");
        for (String m : LLAMA_MERGES) merges.add(m);
        return root;
    }

    /** The newer Llama/Mistral layout: no normalizer, Metaspace pre-tokenizer with the given prepend_scheme, no split. */
    static ObjectNode llamaMetaspace(String prependScheme) {
        ObjectNode root = llama();
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "▁")
                .put("prepend_scheme", prependScheme).put("split", false);
        return root;
    }

    // ---- T5: Unigram ----

    /** [piece, score]; ids are positions. <0x78> and <0x79> are the bytes of x and y, for byte fallback. */
    static final Object[][] T5_VOCAB = {{"<pad>", 0.0}, {"</s>", 0.0}, {"<unk>", 0.0}, {"▁", -2.0}, {"▁a", -3.0},
            {"b", -4.0}, {"▁ab", -8.0}, {"a", -2.5}, {"ab", -3.0}, {"c", -5.0}, {"<0x78>", -10.0}, {"<0x79>", -10.0}};

    /** T5: Unigram (unk_id 2), Metaspace pre-tokenizer and decoder (▁, prepend_scheme always, split), no normalizer. */
    static ObjectNode t5() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        addedToken(root, 0, "<pad>");
        addedToken(root, 1, "</s>");
        addedToken(root, 2, "<unk>");
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "▁")
                .put("prepend_scheme", "always").put("split", true);
        root.putObject("decoder").put("type", "Metaspace").put("replacement", "▁")
                .put("prepend_scheme", "always").put("split", true);
        ObjectNode model = root.putObject("model").put("type", "Unigram").put("unk_id", 2).put("byte_fallback", false);
        ArrayNode vocab = model.putArray("vocab");
        for (Object[] entry : T5_VOCAB) vocab.addArray().add((String) entry[0]).add((Double) entry[1]);
        return root;
    }
}
