package dev.nanolab.tokenizers.bpe;

import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.codec.SpecialTokens;
import dev.nanolab.tokenizers.codec.TokenBuffer;
import dev.nanolab.tokenizers.codec.TokenIds;
import dev.nanolab.tokenizers.codec.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Encodes with a byte-level {@link BpeModel}: text is split into pieces by the model's pre-tokenizer, each piece's
 * UTF-8 bytes become byte tokens, and the model's merges join them ({@link PieceMerger}). Every string round-trips,
 * except that lone surrogates encode as U+FFFD ({@link Utf8}).
 *
 * <p>Special tokens become their ids only where {@link #encode(String, Set)} allows them; elsewhere their text is
 * encoded like any other. Decoding a special token's id gives its text.
 *
 * <p>The state is the model in the {@link BpeFile} format. Thread-safe.
 */
public final class BpeTokenizer implements Tokenizer {
    private final String name;
    private final BpeModel model;
    private final PieceSplitter splitter;
    private final PieceMerger merger;
    private final PieceCache cache = new PieceCache(PieceCache.DEFAULT_SLOTS_LOG2);
    private final SpecialTokens specials;
    /** What each id decodes to: its bytes, or a special token's UTF-8 text; null if unassigned. */
    private final byte[][] decoded;
    private volatile byte[] state;

    /**
     * @param name the component name that made it ({@code bpe}, {@code hf})
     */
    public BpeTokenizer(String name, BpeModel model) {
        this.name = name;
        this.model = model;
        this.splitter = PieceSplitter.of(model.splitPattern());
        this.merger = new PieceMerger(model);
        this.specials = new SpecialTokens(name, model.specialTokens());
        this.decoded = new byte[model.vocabSize()][];
        for (int id = 0; id < decoded.length; id++) decoded[id] = model.tokenUnsafe(id);
        model.specialTokens().forEach((text, id) -> decoded[id] = text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return name;
    }

    public BpeModel model() {
        return model;
    }

    @Override
    public int vocabSize() {
        return model.vocabSize();
    }

    @Override
    public int[] encode(String text) {
        return encode(text, Set.of());
    }

    @Override
    public int[] encode(String text, Set<String> allowedSpecial) {
        return specials.encode(text, allowedSpecial, this::encodeOrdinary);
    }

    private void encodeOrdinary(String text, TokenBuffer out) {
        String segment = model.addPrefixSpace() && !text.isEmpty() && text.charAt(0) != ' ' ? " " + text : text;
        splitter.split(segment, (start, end) -> encodePiece(segment, start, end, out));
    }

    private void encodePiece(String text, int start, int end, TokenBuffer out) {
        if (end - start > PieceCache.MAX_PIECE_CHARS) {
            out.addAll(merger.merge(text, start, end));
            return;
        }
        int hash = PieceCache.hash(text, start, end);
        if (cache.appendTo(out, text, start, end, hash)) return;
        int[] ids = merger.merge(text, start, end);
        cache.put(text, start, end, hash, ids);
        out.addAll(ids);
    }

    @Override
    public String decode(int[] tokens, int from, int to) {
        TokenIds.requireKnown(name, tokens, from, to, decoded.length, id -> decoded[id] != null);
        int length = 0;
        for (int i = from; i < to; i++) length += decoded[tokens[i]].length;
        byte[] bytes = new byte[length];
        for (int i = from, at = 0; i < to; i++) {
            byte[] d = decoded[tokens[i]];
            System.arraycopy(d, 0, bytes, at, d.length);
            at += d.length;
        }
        return Utf8.decode(bytes, 0, length);
    }

    @Override
    public byte[] tokenBytes(int id) {
        TokenIds.requireKnown(name, new int[] {id}, 0, 1, decoded.length, i -> decoded[i] != null);
        return decoded[id].clone();
    }

    @Override
    public OptionalInt specialToken(String text) {
        return specials.id(text);
    }

    @Override
    public byte[] state() {
        byte[] s = state;
        if (s == null) state = s = BpeFile.write(model);
        return s.clone();
    }
}
