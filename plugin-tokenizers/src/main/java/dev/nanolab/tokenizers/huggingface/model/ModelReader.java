package dev.nanolab.tokenizers.huggingface.model;

import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/** Reads the {@code model} of a tokenizer.json: WordPiece, BPE over characters, or Unigram. */
public final class ModelReader {
    private ModelReader() {}

    /**
     * @param special whether an id is a special added token, which Unigram never matches in ordinary text
     */
    public static Model read(HfNode model, IntPredicate special) {
        if (!model.json().isObject()) throw model.invalid("must be an object");
        HfNode type = model.at("type");
        return switch (type.text("BPE")) {
            case "WordPiece" -> wordPiece(model);
            case "BPE" -> bpe(model);
            case "Unigram" -> unigram(model, special);
            default -> throw type.unsupported("supported models: WordPiece, BPE, Unigram");
        };
    }

    private static Model wordPiece(HfNode model) {
        model.onlyKeys(Set.of("type", "unk_token", "continuing_subword_prefix", "max_input_chars_per_word", "vocab"));
        Vocabulary vocab = new Vocabulary(model.at("vocab"));
        return new WordPieceModel(vocab, model.at("continuing_subword_prefix").text("##"),
                model.at("max_input_chars_per_word").integer(100), unkId(model.at("unk_token"), "[UNK]", vocab, true));
    }

    private static int unkId(HfNode node, String absent, Vocabulary vocab, boolean required) {
        String unk = node.text(absent);
        if (unk == null) return -1;
        int id = vocab.id(unk);
        if (id < 0 && (required || !node.isAbsent()))
            throw node.invalid("'" + unk + "' is not in model.vocab, so an unknown word could not be encoded");
        return id;
    }

    private static Model bpe(HfNode model) {
        model.onlyKeys(Set.of("type", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix",
                "fuse_unk", "byte_fallback", "ignore_merges", "vocab", "merges"));
        HfNode dropout = model.at("dropout");
        if (!dropout.isAbsent() && dropout.number() != 0) throw dropout.unsupported("encoding would be random");
        Vocabulary vocab = new Vocabulary(model.at("vocab"));
        String prefix = model.at("continuing_subword_prefix").text("");
        Map<Long, Long> merges = new HashMap<>();
        List<HfNode> list = model.at("merges").elements();
        for (int rank = 0; rank < list.size(); rank++) {
            HfNode merge = list.get(rank);
            String[] pair = mergePair(merge);
            int left = vocab.id(pair[0]), right = vocab.id(pair[1]);
            String joined = pair[0] + pair[1].substring(Math.min(prefix.length(), pair[1].length()));
            int result = vocab.id(joined);
            if (left < 0 || right < 0 || result < 0)
                throw merge.invalid("'" + (left < 0 ? pair[0] : right < 0 ? pair[1] : joined) + "' is not in model.vocab");
            merges.put(WordMerger.pair(left, right), (long) rank << 32 | result);
        }
        boolean byteFallback = model.at("byte_fallback").bool(false);
        return new BpeModel(vocab, new WordMerger(merges), prefix, model.at("end_of_word_suffix").text(""),
                unkId(model.at("unk_token"), null, vocab, false), model.at("fuse_unk").bool(false),
                byteFallback ? new ByteFallback(vocab::id) : null, model.at("ignore_merges").bool(false));
    }

    private static String[] mergePair(HfNode merge) {
        if (merge.json().isTextual()) {
            String[] parts = merge.text().split(" ", -1);
            if (parts.length == 2) return parts;
        } else if (merge.json().isArray() && merge.json().size() == 2) {
            return new String[] {merge.at(0).text(), merge.at(1).text()};
        }
        throw merge.invalid("is not \"left right\" or [left, right]");
    }

    private static Model unigram(HfNode model, IntPredicate special) {
        model.onlyKeys(Set.of("type", "unk_id", "vocab", "byte_fallback"));
        List<HfNode> entries = model.at("vocab").elements();
        String[] pieces = new String[entries.size()];
        double[] scores = new double[entries.size()];
        for (int id = 0; id < pieces.length; id++) {
            HfNode entry = entries.get(id);
            if (!entry.json().isArray() || entry.json().size() != 2) throw entry.invalid("is not [piece, score]");
            pieces[id] = entry.at(0).text();
            scores[id] = entry.at(1).number();
        }
        HfNode unkNode = model.at("unk_id");
        if (unkNode.isAbsent()) throw unkNode.unsupported("without unk_id, text with a character outside the vocabulary cannot be encoded");
        int unk = unkNode.integer(-1);
        if (unk >= pieces.length) throw unkNode.invalid(unk + " is outside model.vocab (" + pieces.length + " pieces)");
        return new UnigramModel(pieces, scores, unk, id -> !special.test(id), model.at("byte_fallback").bool(false));
    }
}
