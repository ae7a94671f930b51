package dev.nanolab.tokenizers.tiktoken;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tiktoken encodings nanolab offers, with what jtokkit does not expose: the special tokens' ids (tiktoken's
 * {@code tiktoken_ext/openai_public.py}) and which ids exist at all (read from jtokkit's bundled rank files,
 * whose SHA-256 also goes into the tokenizer state).
 */
public enum TiktokenEncoding {
    /** GPT-2's encoding; tiktoken's {@code gpt2} is {@code r50k_base} (same ranks, pattern and special token). */
    GPT2("tiktoken:gpt2", "gpt2", EncodingType.R50K_BASE, Map.of("<|endoftext|>", 50256)),
    /** Codex-era encoding: GPT-2's plus runs of spaces. */
    P50K_BASE("tiktoken:p50k_base", "p50k_base", EncodingType.P50K_BASE, Map.of("<|endoftext|>", 50256)),
    /** GPT-3.5/GPT-4's encoding. */
    CL100K_BASE("tiktoken:cl100k_base", "cl100k_base", EncodingType.CL100K_BASE, Map.of(
            "<|endoftext|>", 100257, "<|fim_prefix|>", 100258, "<|fim_middle|>", 100259,
            "<|fim_suffix|>", 100260, "<|endofprompt|>", 100276)),
    /** GPT-4o's encoding. */
    O200K_BASE("tiktoken:o200k_base", "o200k_base", EncodingType.O200K_BASE, Map.of(
            "<|endoftext|>", 199999, "<|endofprompt|>", 200018));

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final String componentName;
    private final String tiktokenName;
    private final EncodingType type;
    private final Map<String, Integer> specialTokens;
    private volatile Ranks ranks;

    TiktokenEncoding(String componentName, String tiktokenName, EncodingType type, Map<String, Integer> specials) {
        this.componentName = componentName;
        this.tiktokenName = tiktokenName;
        this.type = type;
        Map<String, Integer> ordered = new LinkedHashMap<>();
        specials.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> ordered.put(e.getKey(), e.getValue()));
        this.specialTokens = ordered;
    }

    /** The nanolab component name: {@code tiktoken:} and tiktoken's own name, e.g. {@code tiktoken:cl100k_base}. */
    public String componentName() {
        return componentName;
    }

    /** The name tiktoken uses: {@code gpt2}, {@code p50k_base}, {@code cl100k_base}, {@code o200k_base}. */
    public String tiktokenName() {
        return tiktokenName;
    }

    Encoding jtokkit() {
        return REGISTRY.getEncoding(type);
    }

    Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    /** The id set and checksum of the bundled rank file, read once. */
    Ranks ranks() {
        Ranks r = ranks;
        if (r == null) {
            synchronized (this) {
                r = ranks;
                if (r == null) ranks = r = Ranks.read(type.getName(), specialTokens);
            }
        }
        return r;
    }

    /**
     * What the rank file says: the assigned ids (ranks and special tokens), the vocabulary size (largest id + 1,
     * as tiktoken's {@code n_vocab}) and the file's SHA-256.
     */
    record Ranks(BitSet assigned, int vocabSize, String sha256) {
        static Ranks read(String file, Map<String, Integer> specials) {
            String resource = "/com/knuddels/jtokkit/" + file + ".tiktoken";
            try (InputStream raw = Encodings.class.getResourceAsStream(resource)) {
                if (raw == null) throw new IllegalStateException("jtokkit has no " + resource);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                BitSet assigned = new BitSet();
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                        new DigestInputStream(raw, sha), StandardCharsets.US_ASCII))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.isEmpty()) continue;
                        assigned.set(Integer.parseInt(line, line.indexOf(' ') + 1, line.length(), 10));
                    }
                }
                specials.values().forEach(assigned::set);
                return new Ranks(assigned, assigned.length(), java.util.HexFormat.of().formatHex(sha.digest()));
            } catch (IOException e) {
                throw new UncheckedIOException("reading jtokkit's " + resource, e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
