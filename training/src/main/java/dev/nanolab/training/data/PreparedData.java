package dev.nanolab.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.training.config.DataConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A prepared dataset folder: {@code train.bin} and {@code val.bin} token files, the tokenizer's state
 * ({@code tokenizer.state}) and {@code meta.json}. Opening it checks that both token files were made by exactly that
 * tokenizer (same fingerprint), so data is never read with the wrong vocabulary.
 */
public final class PreparedData implements AutoCloseable {
    public static final String TRAIN = "train.bin", VAL = "val.bin", TOKENIZER = "tokenizer.state", META = "meta.json";
    /** What to do about a broken prepared folder. */
    static final String REPAIR_HINT = "run nanolab prepare with the same config to rebuild it";
    /** The files a preparation writes: what repairing a broken folder deletes. */
    public static final java.util.List<String> FILES = java.util.List.of(META, TRAIN, VAL, TOKENIZER);

    private final Path dir;
    private final Tokenizer tokenizer;
    private final TokenFile train;
    private final TokenFile val;

    private PreparedData(Path dir, Tokenizer tokenizer, TokenFile train, TokenFile val) {
        this.dir = dir;
        this.tokenizer = tokenizer;
        this.train = train;
        this.val = val;
    }

    /** Whether a folder holds a complete preparation (meta.json is written last). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(META)) && Files.isRegularFile(dir.resolve(TRAIN))
                && Files.isRegularFile(dir.resolve(VAL)) && Files.isRegularFile(dir.resolve(TOKENIZER));
    }

    /**
     * Opens a prepared folder with the tokenizer component that made it.
     *
     * @throws IOException naming the file when a file is missing or corrupt, or the tokenizer does not match
     */
    public static PreparedData open(Path dir, TokenizerFactory factory) throws IOException {
        return open(dir, factory, DataConfig.Format.NANOLAB);
    }

    /**
     * Opens a folder of token files in {@code format}. For nanoGPT's and llm.c's files, which carry no tokenizer,
     * the tokenizer is {@code tokenizer.state} when the folder has one (nanolab writes it beside them, with
     * {@code meta.json}: nanoGPT's {@code meta.pkl}), else the fixed tokenizer the config names ({@code tiktoken:gpt2}
     * for nanoGPT's openwebtext and llm.c's FineWeb shards); llm.c's shards may be named {@code *_train_*.bin} and
     * {@code *_val_*.bin}, one of each.
     *
     * @throws IOException naming the file when one is missing, corrupt, or made with another vocabulary
     */
    public static PreparedData open(Path dir, TokenizerFactory factory, DataConfig.Format format) throws IOException {
        if (format != DataConfig.Format.NANOLAB) return openForeign(dir, factory, format);
        if (!exists(dir)) throw new IOException("no prepared data in " + dir + " (run nanolab prepare)");
        JsonNode meta;
        try {
            meta = new ObjectMapper().readTree(dir.resolve(META).toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage().lines().findFirst().orElse("")
                    .replaceAll("\\s*\\((start marker )?at \\[Source:.*$", "").replaceAll("\\s*at \\[Source:.*$", "").strip();
            throw new IOException(dir.resolve(META) + " is corrupt (not valid JSON: " + why + "); " + REPAIR_HINT);
        }
        if (meta == null || !meta.isObject()) throw new IOException(dir.resolve(META) + " is corrupt (not a JSON object); " + REPAIR_HINT);
        Tokenizer tok;
        try {
            tok = factory.load(Files.readAllBytes(dir.resolve(TOKENIZER)));
        } catch (IllegalArgumentException e) {
            throw new IOException(dir.resolve(TOKENIZER) + ": " + e.getMessage(), e);
        }
        TokenFile train = TokenFile.open(dir.resolve(TRAIN));
        TokenFile val;
        try {
            val = TokenFile.open(dir.resolve(VAL));
        } catch (IOException e) {
            train.close();
            throw e;
        }
        for (TokenFile f : new TokenFile[] {train, val}) {
            if (!f.tokenizerFingerprint().equals(tok.fingerprint()) || !f.tokenizerName().equals(tok.name())) {
                train.close();
                val.close();
                throw new IOException("token file " + f.path() + " was made by tokenizer " + f.tokenizerName() + " ("
                        + f.tokenizerFingerprint().substring(0, 12) + "…), not by the " + tok.name() + " tokenizer in "
                        + dir.resolve(TOKENIZER) + " (" + tok.fingerprint().substring(0, 12) + "…): prepare the data again");
            }
        }
        if (!meta.path("tokenizer_fingerprint").asText().equals(tok.fingerprint()))
            throw new IOException(dir.resolve(META) + " names another tokenizer than " + dir.resolve(TOKENIZER));
        return new PreparedData(dir, tok, train, val);
    }

    private static PreparedData openForeign(Path dir, TokenizerFactory factory, DataConfig.Format format) throws IOException {
        String fmt = format.name().toLowerCase(java.util.Locale.ROOT);
        if (!Files.isDirectory(dir)) throw new IOException("data folder " + dir + " does not exist");
        Tokenizer tok;
        Path state = dir.resolve(TOKENIZER);
        try {
            if (Files.isRegularFile(state)) tok = factory.load(Files.readAllBytes(state));
            else if (!factory.trainable()) tok = factory.train(dev.nanolab.api.data.TextCorpus.of("none"));
            else throw new IOException(dir + " has no " + TOKENIZER + ": token files in format " + fmt
                    + " need it beside them, or a fixed tokenizer in the config (tiktoken:gpt2, hf)");
        } catch (IllegalArgumentException e) {
            throw new IOException(state + ": " + e.getMessage(), e);
        }
        Path metaFile = dir.resolve(META);
        if (Files.isRegularFile(metaFile)) {
            JsonNode meta;
            try {
                meta = new ObjectMapper().readTree(metaFile.toFile());
            } catch (IOException e) {
                throw new IOException(metaFile + " is corrupt (not valid JSON)", e);
            }
            if (meta.has("vocab_size") && meta.get("vocab_size").asInt() != tok.vocabSize())
                throw new IOException(metaFile + " says vocab_size " + meta.get("vocab_size").asInt() + ", but tokenizer " + tok.name() + " has " + tok.vocabSize());
            if (meta.has("tokenizer_fingerprint") && !meta.get("tokenizer_fingerprint").asText().equals(tok.fingerprint()))
                throw new IOException(metaFile + " names another tokenizer than " + tok.name() + " (fingerprint " + tok.fingerprint().substring(0, 12) + "…)");
        }
        TokenFile train = TokenFile.open(split(dir, TRAIN, "train", format), format, tok.vocabSize(), tok.name(), tok.fingerprint());
        try {
            return new PreparedData(dir, tok, train, TokenFile.open(split(dir, VAL, "val", format), format, tok.vocabSize(), tok.name(), tok.fingerprint()));
        } catch (IOException | RuntimeException e) {
            train.close();
            throw e;
        }
    }

    /** {@code train.bin}/{@code val.bin}, or for llm.c the one {@code *_train_*.bin}/{@code *_val_*.bin} shard. */
    private static Path split(Path dir, String file, String name, DataConfig.Format format) throws IOException {
        Path p = dir.resolve(file);
        if (Files.isRegularFile(p) || format != DataConfig.Format.LLMC) return p;
        java.util.List<Path> shards;
        try (var files = Files.list(dir)) {
            shards = files.filter(f -> f.getFileName().toString().contains("_" + name + "_") && f.getFileName().toString().endsWith(".bin")).sorted().toList();
        }
        if (shards.isEmpty()) throw new IOException(dir + " has neither " + file + " nor an llm.c shard *_" + name + "_*.bin");
        if (shards.size() > 1)
            throw new IOException(dir + " has " + shards.size() + " llm.c " + name + " shards (" + shards.get(0).getFileName() + ", ...); nanolab reads one file per split: concatenate them or keep one");
        return shards.get(0);
    }

    public Path dir() {
        return dir;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public TokenFile train() {
        return train;
    }

    public TokenFile val() {
        return val;
    }

    /** The split by name: "train" or "val". */
    public TokenFile split(String name) {
        return switch (name) {
            case "train" -> train;
            case "val" -> val;
            default -> throw new IllegalArgumentException("unknown split '" + name + "' (train or val)");
        };
    }

    @Override
    public void close() {
        train.close();
        val.close();
    }
}
