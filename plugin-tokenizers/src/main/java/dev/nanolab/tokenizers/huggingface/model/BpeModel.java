package dev.nanolab.tokenizers.huggingface.model;

import dev.nanolab.tokenizers.codec.TokenBuffer;

/**
 * HuggingFace's {@code BPE} over characters (SentencePiece-style, as in Llama 1 and 2), not the byte-level kind:
 * a piece is cut into characters, each looked up in the vocabulary ({@code continuing_subword_prefix} before all but
 * the first, {@code end_of_word_suffix} after the last); a character not in it becomes the byte tokens of its UTF-8
 * ({@code byte_fallback}, when the vocabulary has them all), or else {@code unk_token} (consecutive ones fused into
 * one with {@code fuse_unk}), or else is dropped, as HuggingFace does. Then the merges are applied
 * ({@link WordMerger}). With {@code ignore_merges} a piece that is itself a token is taken whole.
 */
final class BpeModel implements Model {
    private final Vocabulary vocab;
    private final WordMerger merger;
    private final String prefix;
    private final String suffix;
    private final int unk;
    private final boolean fuseUnk;
    private final ByteFallback byteFallback;
    private final boolean ignoreMerges;

    /**
     * @param unk          the unknown token's id, or -1 for none
     * @param byteFallback null without byte fallback
     */
    BpeModel(Vocabulary vocab, WordMerger merger, String prefix, String suffix, int unk, boolean fuseUnk,
             ByteFallback byteFallback, boolean ignoreMerges) {
        this.vocab = vocab;
        this.merger = merger;
        this.prefix = prefix;
        this.suffix = suffix;
        this.unk = unk;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
    }

    @Override
    public void tokenize(String piece, TokenBuffer out) {
        if (ignoreMerges) {
            int whole = vocab.id(piece);
            if (whole >= 0) {
                out.add(whole);
                return;
            }
        }
        TokenBuffer symbols = new TokenBuffer(piece.length());
        boolean pendingUnk = false;
        for (int i = 0; i < piece.length(); ) {
            int end = i + Character.charCount(piece.codePointAt(i));
            String c = piece.substring(i, end);
            if (i > 0) c = prefix + c;
            if (end == piece.length()) c = c + suffix;
            int id = vocab.id(c);
            i = end;
            if (id >= 0) {
                if (pendingUnk) symbols.add(unk);
                pendingUnk = false;
                symbols.add(id);
                continue;
            }
            if (byteFallback != null && byteFallback.append(c, symbols)) continue;
            if (unk < 0) continue;
            if (pendingUnk && !fuseUnk) symbols.add(unk);
            pendingUnk = true;
        }
        if (pendingUnk) symbols.add(unk);
        out.addAll(merger.merge(symbols.toArray()));
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
