package dev.nanolab.tokenizers.huggingface.pipeline;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code pattern} of HuggingFace's Split pre-tokenizer and Replace normalizer and decoder: {@code {"String": s}},
 * matched literally, or {@code {"Regex": r}}, run by {@code java.util.regex} with Unicode character classes (HuggingFace
 * runs Oniguruma; the common patterns mean the same in both).
 */
public final class HfPattern {
    private HfPattern() {}

    public static Pattern read(HfNode node) {
        node.onlyKeys(java.util.Set.of("String", "Regex"));
        if (!node.at("String").isAbsent()) return Pattern.compile(Pattern.quote(node.at("String").text()));
        HfNode regex = node.at("Regex");
        if (regex.isAbsent()) throw node.invalid("has neither String nor Regex");
        try {
            return Pattern.compile(regex.text(), Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw regex.unsupported("java.util.regex cannot compile it: " + e.getDescription());
        }
    }
}
