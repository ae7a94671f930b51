package dev.nanolab.tokenizers.huggingface.pretokenizer;

/**
 * {@code Metaspace} (SentencePiece's convention): every space becomes {@code replacement} (▁), a ▁ is put before the
 * piece if it does not start with one ({@code prepend_scheme} {@code always}; {@code first}: only before the piece at
 * the very start of the text; {@code never}), and with {@code split} the piece is cut before each ▁.
 */
record Metaspace(int replacement, PrependScheme scheme, boolean split) implements PreTokenizer {
    public enum PrependScheme { ALWAYS, FIRST, NEVER }

    @Override
    public void split(String piece, boolean atStart, Sink out) {
        String mark = Character.toString(replacement);
        String text = piece.replace(" ", mark);
        boolean prepend = scheme == PrependScheme.ALWAYS || (scheme == PrependScheme.FIRST && atStart);
        if (prepend && !text.startsWith(mark)) text = mark + text;
        if (!split) {
            if (!text.isEmpty()) out.accept(text, atStart);
            return;
        }
        PatternSplit.characters(c -> c == replacement, SplitBehavior.MergedWithNext).split(text, atStart, out);
    }
}
