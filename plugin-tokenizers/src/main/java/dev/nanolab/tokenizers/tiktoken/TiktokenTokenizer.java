package dev.nanolab.tokenizers.tiktoken;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.codec.SpecialTokens;
import dev.nanolab.tokenizers.codec.StateWriter;
import dev.nanolab.tokenizers.codec.TokenIds;
import dev.nanolab.tokenizers.codec.Utf8;
import java.util.BitSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A tiktoken encoding ({@link TiktokenEncoding}) through jtokkit, with the ids tiktoken gives.
 *
 * <ul>
 *   <li>Special tokens such as {@code <|endoftext|>} become their id only when named in
 *   {@link #encode(String, Set)}; otherwise they are encoded as the ordinary text they are.</li>
 *   <li>Lone surrogates are encoded as U+FFFD, as tiktoken does (jtokkit alone would encode {@code ?}).</li>
 *   <li>{@link #vocabSize()} is tiktoken's {@code n_vocab}: the largest id + 1. Some encodings leave ids unassigned
 *   (cl100k_base has no 100256 and 100261..100275); decoding one is an error.</li>
 * </ul>
 *
 * <h2>State</h2>
 * <pre>{@code
 * {
 *   "format": "nanolab-tiktoken",
 *   "version": 1,
 *   "encoding": "cl100k_base",        // tiktoken's name
 *   "ranks_sha256": "..."             // SHA-256 of jtokkit's rank file the tokenizer was made with
 * }
 * }</pre>
 * Loading a state checks the checksum, so a jtokkit upgrade that changed the ranks cannot pass unnoticed.
 */
public final class TiktokenTokenizer implements Tokenizer {
    static final String FORMAT = "nanolab-tiktoken";
    static final int VERSION = 1;

    private final TiktokenEncoding encoding;
    private final Encoding jtokkit;
    private final BitSet assigned;
    private final int vocabSize;
    private final String ranksSha256;
    private final SpecialTokens specials;

    TiktokenTokenizer(TiktokenEncoding encoding) {
        this.encoding = encoding;
        this.jtokkit = encoding.jtokkit();
        TiktokenEncoding.Ranks ranks = encoding.ranks();
        this.assigned = ranks.assigned();
        this.vocabSize = ranks.vocabSize();
        this.ranksSha256 = ranks.sha256();
        this.specials = new SpecialTokens(encoding.componentName(), encoding.specialTokens());
    }

    @Override
    public String name() {
        return encoding.componentName();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int[] encode(String text) {
        return jtokkit.encodeOrdinary(Utf8.withoutLoneSurrogates(text)).toArray();
    }

    @Override
    public int[] encode(String text, Set<String> allowedSpecial) {
        return specials.encode(Utf8.withoutLoneSurrogates(text), allowedSpecial, (segment, out) -> {
            IntArrayList ids = jtokkit.encodeOrdinary(segment);
            for (int i = 0, n = ids.size(); i < n; i++) out.add(ids.get(i));
        });
    }

    @Override
    public String decode(int[] tokens, int from, int to) {
        TokenIds.requireKnown(name(), tokens, from, to, vocabSize, assigned::get);
        IntArrayList ids = new IntArrayList(to - from);
        for (int i = from; i < to; i++) ids.add(tokens[i]);
        byte[] bytes = jtokkit.decodeBytes(ids);
        return Utf8.decode(bytes, 0, bytes.length);
    }

    @Override
    public byte[] tokenBytes(int id) {
        TokenIds.requireKnown(name(), new int[] {id}, 0, 1, vocabSize, assigned::get);
        IntArrayList ids = new IntArrayList(1);
        ids.add(id);
        return jtokkit.decodeBytes(ids);
    }

    @Override
    public OptionalInt specialToken(String text) {
        return specials.id(text);
    }

    @Override
    public byte[] state() {
        ObjectNode root = StateWriter.start(FORMAT, VERSION);
        root.put("encoding", encoding.tiktokenName());
        root.put("ranks_sha256", ranksSha256);
        return StateWriter.write(root);
    }
}
