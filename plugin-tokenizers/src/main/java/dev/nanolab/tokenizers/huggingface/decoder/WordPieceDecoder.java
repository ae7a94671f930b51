package dev.nanolab.tokenizers.huggingface.decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code WordPiece}: every token after the first loses its {@code prefix} (##) if it has it and is otherwise a new
 * word, after a space; with {@code cleanup}, BERT's clean-up of spaces before punctuation and contractions.
 */
record WordPieceDecoder(String prefix, boolean cleanup) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i > 0) token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
            out.add(cleanup ? cleanup(token) : token);
        }
        return out;
    }

    /** HuggingFace's {@code cleanup}, the same replacements in the same order. */
    static String cleanup(String s) {
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }
}
