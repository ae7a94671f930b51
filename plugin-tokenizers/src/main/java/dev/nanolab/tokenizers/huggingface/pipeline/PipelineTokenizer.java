package dev.nanolab.tokenizers.huggingface.pipeline;

import dev.nanolab.tokenizers.huggingface.decoder.ByteFallbackDecoder;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.codec.SpecialTokens;
import dev.nanolab.tokenizers.codec.TokenBuffer;
import dev.nanolab.tokenizers.codec.TokenIds;
import dev.nanolab.tokenizers.codec.Utf8;
import dev.nanolab.tokenizers.huggingface.decoder.Decoder;
import dev.nanolab.tokenizers.huggingface.model.Model;
import dev.nanolab.tokenizers.huggingface.normalizer.Normalizer;
import dev.nanolab.tokenizers.huggingface.pretokenizer.PreTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A HuggingFace tokenizer that is not byte-level BPE, run as HuggingFace runs it: the allowed special tokens are cut
 * out first; each stretch between them is normalized, split by the pre-tokenizer, and each piece tokenized by the
 * model. Decoding maps ids to token strings (an added token's content, or the model's token), runs the decoder and
 * joins the result. Lone surrogates are encoded as U+FFFD. Immutable and thread-safe.
 */
public final class PipelineTokenizer implements Tokenizer {
    private final String name;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Model model;
    private final Decoder decoder;
    private final SpecialTokens specials;
    private final String[] tokens;
    private final byte[] state;

    /**
     * @param added  added tokens, content to id
     * @param state  what {@link #state()} returns
     */
    public PipelineTokenizer(String name, Normalizer normalizer, PreTokenizer preTokenizer, Model model, Decoder decoder,
                             Map<String, Integer> added, byte[] state) {
        this.name = name;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.decoder = decoder;
        this.specials = new SpecialTokens(name, added);
        int size = model.size();
        for (int id : added.values()) size = Math.max(size, id + 1);
        if (size > model.size() + added.size() + 1024)
            throw new IllegalArgumentException(name + ": an added token's id " + (size - 1) + " is far beyond the model's "
                    + model.size() + " tokens (ids must run from 0 without large gaps)");
        this.tokens = new String[size];
        for (int id = 0; id < model.size(); id++) tokens[id] = model.token(id);
        added.forEach((content, id) -> tokens[id] = content);
        this.state = state.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public int[] encode(String text) {
        return encode(text, Set.of());
    }

    @Override
    public int[] encode(String text, Set<String> allowedSpecial) {
        return specials.encode(Utf8.withoutLoneSurrogates(text), allowedSpecial, this::encodeOrdinary);
    }

    private void encodeOrdinary(String text, int offset, TokenBuffer out) {
        preTokenizer.split(normalizer.normalize(text), offset == 0, (piece, atStart) -> model.tokenize(piece, out));
    }

    @Override
    public String decode(int[] ids, int from, int to) {
        TokenIds.requireKnown(name, ids, from, to, tokens.length, id -> tokens[id] != null);
        List<String> strings = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) strings.add(tokens[ids[i]]);
        return String.join("", decoder.decodeChain(strings));
    }

    /**
     * The UTF-8 of the token's decoding, except for a byte-fallback token ({@code <0xE2>}) that decodes alone to U+FFFD
     * (part of a multi-byte character): that one is its byte. (A literal "<0xE2>" in a vocabulary without byte
     * fallback decodes to itself and stays six bytes.)
     */
    @Override
    public byte[] tokenBytes(int id) {
        String text = decode(new int[] {id});
        int b = ByteFallbackDecoder.byteOf(tokens[id]);
        return b >= 0 && text.equals("\uFFFD") ? new byte[] {(byte) b} : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public OptionalInt specialToken(String text) {
        return specials.id(text);
    }

    @Override
    public byte[] state() {
        return state.clone();
    }
}
