package dev.nanolab.tokenizers.huggingface.decoder;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code Replace}: in every token, each match of the pattern becomes {@code content} (Llama: ▁ to a space). */
record ReplaceDecoder(Pattern pattern, String content) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        String replacement = Matcher.quoteReplacement(content);
        return tokens.stream().map(t -> pattern.matcher(t).replaceAll(replacement)).toList();
    }
}
