package dev.nanolab.tokenizers.huggingface.model;

import dev.nanolab.tokenizers.codec.TokenBuffer;

/**
 * {@code WordPiece} (BERT): greedy longest match from the left; every token after a word's first is looked up with
 * {@code continuing_subword_prefix} (##) in front. A word of more than {@code max_input_chars_per_word} characters,
 * or one that cannot be spelled to its end, is the one token {@code unk_token}.
 */
final class WordPieceModel implements Model {
    private final Vocabulary vocab;
    private final String prefix;
    private final int maxChars;
    private final int unk;

    WordPieceModel(Vocabulary vocab, String prefix, int maxChars, int unk) {
        this.vocab = vocab;
        this.prefix = prefix;
        this.maxChars = maxChars;
        this.unk = unk;
    }

    @Override
    public void tokenize(String word, TokenBuffer out) {
        if (word.codePointCount(0, word.length()) > maxChars) {
            out.add(unk);
            return;
        }
        TokenBuffer pieces = new TokenBuffer(8);
        int start = 0;
        while (start < word.length()) {
            int end = word.length(), found = -1;
            while (start < end) {
                String sub = start > 0 ? prefix + word.substring(start, end) : word.substring(start, end);
                found = vocab.id(sub);
                if (found >= 0) break;
                end -= Character.charCount(word.codePointBefore(end));
            }
            if (found < 0) {
                out.add(unk);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces.toArray());
    }

    @Override
    public String token(int id) {
        return vocab.token(id);
    }

    @Override
    public int size() {
        return vocab.size();
    }
}
