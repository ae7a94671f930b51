package dev.nanolab.tokenizers.huggingface.normalizer;

import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import dev.nanolab.tokenizers.huggingface.pipeline.HfPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the {@code normalizer} of a tokenizer.json; absent or null is the identity. */
public final class NormalizerReader {
    public static final String SUPPORTED = "Sequence, NFC, NFD, NFKC, NFKD, Lowercase, Strip, Replace, Prepend, BertNormalizer, Precompiled";

    private NormalizerReader() {}

    public static Normalizer read(HfNode node) {
        if (node.isAbsent()) return text -> text;
        HfNode type = node.at("type");
        return switch (type.text()) {
            case "Sequence" -> {
                node.onlyKeys(Set.of("type", "normalizers"));
                List<Normalizer> steps = new ArrayList<>();
                for (HfNode step : node.at("normalizers").elements()) steps.add(read(step));
                yield new SequenceNormalizer(List.copyOf(steps));
            }
            case "NFC", "NFD", "NFKC", "NFKD" -> {
                node.onlyKeys(Set.of("type"));
                yield new UnicodeForm(java.text.Normalizer.Form.valueOf(type.text()));
            }
            case "Lowercase" -> {
                node.onlyKeys(Set.of("type"));
                yield new Lowercase();
            }
            case "Strip" -> {
                node.onlyKeys(Set.of("type", "strip_left", "strip_right"));
                yield new StripWhitespace(node.at("strip_left").bool(false), node.at("strip_right").bool(false));
            }
            case "Replace" -> {
                node.onlyKeys(Set.of("type", "pattern", "content"));
                yield new Replace(HfPattern.read(node.at("pattern")), node.at("content").text());
            }
            case "Prepend" -> {
                node.onlyKeys(Set.of("type", "prepend"));
                yield new Prepend(node.at("prepend").text());
            }
            case "BertNormalizer" -> {
                node.onlyKeys(Set.of("type", "clean_text", "handle_chinese_chars", "strip_accents", "lowercase"));
                boolean lowercase = node.at("lowercase").bool(true);
                yield new BertNormalizer(node.at("clean_text").bool(true), node.at("handle_chinese_chars").bool(true),
                        node.at("strip_accents").bool(lowercase), lowercase);
            }
            case "Precompiled" -> {
                node.onlyKeys(Set.of("type", "precompiled_charsmap"));
                yield Precompiled.read(node.at("precompiled_charsmap"));
            }
            default -> throw type.unsupported("supported normalizers: " + SUPPORTED);
        };
    }
}
