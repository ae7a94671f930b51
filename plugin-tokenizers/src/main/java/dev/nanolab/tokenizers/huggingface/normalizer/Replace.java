package dev.nanolab.tokenizers.huggingface.normalizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code Replace}: every match of the pattern becomes {@code content} (taken literally). */
record Replace(Pattern pattern, String content) implements Normalizer {
    @Override
    public String normalize(String text) {
        return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(content));
    }
}
