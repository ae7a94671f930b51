package dev.nanolab.tokenizers.huggingface.pretokenizer;

import dev.nanolab.tokenizers.huggingface.pipeline.Chars;
import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import dev.nanolab.tokenizers.huggingface.pipeline.HfPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code pre_tokenizer} of a tokenizer.json; absent or null is no split. */
public final class PreTokenizerReader {
    public static final String SUPPORTED =
            "Sequence, BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Digits, Split, Metaspace";
    /** HuggingFace's Whitespace pre-tokenizer keeps the matches of this and drops the rest. */
    private static final Pattern WORDS_OR_SYMBOLS = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    private PreTokenizerReader() {}

    public static PreTokenizer read(HfNode node) {
        if (node.isAbsent()) return PreTokenizer.NONE;
        HfNode type = node.at("type");
        return switch (type.text()) {
            case "Sequence" -> {
                node.onlyKeys(Set.of("type", "pretokenizers"));
                List<PreTokenizer> steps = new ArrayList<>();
                for (HfNode step : node.at("pretokenizers").elements()) steps.add(read(step));
                yield new SequencePreTokenizer(List.copyOf(steps));
            }
            case "BertPreTokenizer" -> {
                node.onlyKeys(Set.of("type"));
                yield new SequencePreTokenizer(List.of(
                        PatternSplit.characters(Chars::isWhitespace, SplitBehavior.Removed),
                        PatternSplit.characters(Chars::isPunctuation, SplitBehavior.Isolated)));
            }
            case "WhitespaceSplit" -> {
                node.onlyKeys(Set.of("type"));
                yield PatternSplit.characters(Chars::isWhitespace, SplitBehavior.Removed);
            }
            case "Whitespace" -> {
                node.onlyKeys(Set.of("type"));
                yield PatternSplit.regex(WORDS_OR_SYMBOLS, true, SplitBehavior.Removed);
            }
            case "Punctuation" -> {
                node.onlyKeys(Set.of("type", "behavior"));
                yield PatternSplit.characters(Chars::isPunctuation, behavior(node.at("behavior"), SplitBehavior.Isolated));
            }
            case "Digits" -> {
                node.onlyKeys(Set.of("type", "individual_digits"));
                boolean individual = node.at("individual_digits").bool(false);
                yield PatternSplit.characters(Chars::isNumeric, individual ? SplitBehavior.Isolated : SplitBehavior.Contiguous);
            }
            case "Split" -> {
                node.onlyKeys(Set.of("type", "pattern", "behavior", "invert"));
                yield PatternSplit.regex(HfPattern.read(node.at("pattern")), node.at("invert").bool(false),
                        behavior(node.at("behavior"), null));
            }
            case "Metaspace" -> {
                MetaspaceOptions options = MetaspaceOptions.read(node);
                yield new Metaspace(options.replacement(), options.scheme(), options.split());
            }
            default -> throw type.unsupported("supported pre-tokenizers: " + SUPPORTED
                    + (type.text().equals("ByteLevel") ? "; ByteLevel only with model.type BPE, as a byte-level BPE" : ""));
        };
    }

    private static SplitBehavior behavior(HfNode node, SplitBehavior absent) {
        if (node.isAbsent() && absent != null) return absent;
        for (SplitBehavior b : SplitBehavior.values()) if (b.name().equals(node.text())) return b;
        throw node.unsupported("one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous");
    }
}
