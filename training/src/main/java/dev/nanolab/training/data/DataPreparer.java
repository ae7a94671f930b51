package dev.nanolab.training.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.data.Document;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.training.config.DataConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Turns a corpus into a {@link PreparedData} folder: fits the tokenizer on the corpus (when it learns), encodes
 * every document, and writes the train and val token files. Documents are joined with a newline (or the
 * {@code <|endoftext|>} token when the vocabulary has one, as GPT-2 data is).
 *
 * <p>The split: {@code tail} holds out the last fraction of the text, as nanoGPT's shakespeare_char does;
 * {@code documents} holds out whole documents chosen by a hash of their name, so both splits come from the same
 * distribution; {@code auto} uses documents when there are at least {@link #MIN_DOCUMENTS_FOR_HASH_SPLIT}.
 */
public final class DataPreparer {
    static final int MIN_DOCUMENTS_FOR_HASH_SPLIT = 20;
    private static final String EOT = "<|endoftext|>";

    private final PrintStream log;

    public DataPreparer(PrintStream log) {
        this.log = log;
    }

    /** The folder a preparation goes to: named after the corpus and tokenizer, keyed by a hash of their configs. */
    public static Path folder(DataConfig data, String corpusName, String tokenizerName, String configKey) {
        String slug = (corpusName + "-" + tokenizerName).replaceAll("[^A-Za-z0-9._-]+", "_");
        if (slug.length() > 60) slug = slug.substring(0, 60);
        return Path.of(data.dir()).resolve(slug + "-" + sha256(configKey).substring(0, 10));
    }

    /** Prepares into {@code dir} unless a complete preparation is already there; returns it opened. */
    public PreparedData prepare(Path dir, TextCorpus corpus, TokenizerFactory factory, DataConfig data, String configKey) throws IOException {
        if (PreparedData.exists(dir)) {
            log.println("using prepared data in " + dir);
            return PreparedData.open(dir, factory, data.format());
        }
        DocumentStats stats = countDocuments(corpus);
        if (stats.chars == 0) throw new IOException("dataset " + corpus.name() + " is empty: it has no text to train on");
        Files.createDirectories(dir);
        // One preparation of a folder at a time (parallel runs may share it); the holder may delete what a killed
        // preparation left (*.tmp), and finds the folder complete if another one finished it meanwhile.
        try (java.nio.channels.FileChannel lockFile = java.nio.channels.FileChannel.open(dir.resolve(LOCK),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock ignored = lockFile.lock()) {
            if (PreparedData.exists(dir)) {
                log.println("using prepared data in " + dir);
                return PreparedData.open(dir, factory, data.format());
            }
            for (Path leftover : leftovers(dir)) {
                Files.deleteIfExists(leftover);
                log.println("removed " + leftover + ", left by an interrupted preparation");
            }
            try {
                return prepareLocked(dir, corpus, factory, data, configKey, stats);
            } catch (IOException | RuntimeException | Error e) {
                for (Path leftover : leftovers(dir)) Files.deleteIfExists(leftover);
                throw e;
            }
        }
    }

    /** The lock file of a prepared folder. */
    static final String LOCK = ".prepare.lock";

    /** Temporary files in a prepared folder: what an interrupted preparation leaves. */
    static java.util.List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private PreparedData prepareLocked(Path dir, TextCorpus corpus, TokenizerFactory factory, DataConfig data, String configKey,
                                       DocumentStats stats) throws IOException {
        long t0 = System.nanoTime();
        // The tokenizer learns from the text exactly as it will be encoded, separators included.
        TextCorpus separated = new TextCorpus() {
            @Override
            public String name() {
                return corpus.name();
            }

            @Override
            public Stream<Document> documents() {
                return corpus.documents().map(d -> d.text().endsWith("\n") ? d : new Document(d.name(), d.text() + "\n"));
            }
        };
        Tokenizer tok = factory.trainable() ? factory.train(separated) : factory.train(TextCorpus.of("empty"));
        if (factory.trainable()) log.printf("fitted tokenizer %s on %s: %d tokens in the vocabulary (%.1f s)%n",
                tok.name(), corpus.name(), tok.vocabSize(), (System.nanoTime() - t0) / 1e9);
        Path tokTmp = dir.resolve(PreparedData.TOKENIZER + ".tmp");
        Files.write(tokTmp, tok.state());
        Files.move(tokTmp, dir.resolve(PreparedData.TOKENIZER), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        boolean byDocument = data.split() == DataConfig.Split.DOCUMENTS
                || (data.split() == DataConfig.Split.AUTO && stats.documents >= MIN_DOCUMENTS_FOR_HASH_SPLIT);
        long valStartChar = (long) Math.floor(stats.chars * (1 - data.valFraction()));
        int eot = tok.specialToken(EOT).orElse(-1);
        long t1 = System.nanoTime();
        long chars = 0;
        try (TokenFile.Writer train = new TokenFile.Writer(dir.resolve(PreparedData.TRAIN), tok.vocabSize(), tok.name(), tok.fingerprint(), data.format());
             TokenFile.Writer val = new TokenFile.Writer(dir.resolve(PreparedData.VAL), tok.vocabSize(), tok.name(), tok.fingerprint(), data.format());
             Stream<Document> docs = separated.documents()) {
          try {
            for (Iterator<Document> it = docs.iterator(); it.hasNext(); ) {
                Document d = it.next();
                String text = d.text();
                if (byDocument) {
                    TokenFile.Writer w = isVal(d.name(), data.valFraction()) ? val : train;
                    encodeInto(tok, text, w, eot);
                } else if (chars + text.length() <= valStartChar) {
                    encodeInto(tok, text, train, eot);
                } else if (chars >= valStartChar) {
                    encodeInto(tok, text, val, eot);
                } else {
                    int cut = (int) (valStartChar - chars);
                    // Never split a surrogate pair between the two files.
                    if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) cut--;
                    encodeInto(tok, text.substring(0, cut), train, -1);
                    encodeInto(tok, text.substring(cut), val, eot);
                }
                chars += text.length();
            }
            if (train.count() == 0 || val.count() == 0)
                throw new IOException("dataset " + corpus.name() + " gave " + train.count() + " train and " + val.count()
                        + " val tokens; both splits need text (is the corpus empty or tiny?)");
            log.printf("tokenised %,d characters into %,d train and %,d val tokens (%.1f s)%n", chars, train.count(),
                    val.count(), (System.nanoTime() - t1) / 1e9);
            ObjectMapper om = new ObjectMapper();
            ObjectNode meta = om.createObjectNode();
            meta.put("corpus", corpus.name());
            meta.put("documents", stats.documents);
            meta.put("characters", chars);
            meta.put("tokenizer", tok.name());
            meta.put("tokenizer_fingerprint", tok.fingerprint());
            meta.put("vocab_size", tok.vocabSize());
            meta.put("train_tokens", train.count());
            meta.put("val_tokens", val.count());
            meta.put("split", byDocument ? "documents" : "tail");
            meta.put("format", data.format().name().toLowerCase(java.util.Locale.ROOT));
            meta.put("config", configKey);
            // Closing the writers renames the token files into place; meta.json last marks the folder complete.
            train.close();
            val.close();
            Path tmp = dir.resolve(PreparedData.META + ".tmp");
            om.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), meta);
            Files.move(tmp, dir.resolve(PreparedData.META), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException | RuntimeException | Error e) {
            // Nothing half-written may look finished: closing a writer would rename its partial file into place.
            train.abort();
            val.abort();
            for (String f : new String[] {PreparedData.TRAIN, PreparedData.VAL}) Files.deleteIfExists(dir.resolve(f));
            throw e;
          }
        }
        return PreparedData.open(dir, factory, data.format());
    }

    private static void encodeInto(Tokenizer tok, String text, TokenFile.Writer w, int eot) throws IOException {
        int[] ids = tok.encode(text);
        w.write(ids, ids.length);
        if (eot >= 0) w.write(new int[] {eot}, 1);
    }

    private record DocumentStats(long documents, long chars) {}

    private static DocumentStats countDocuments(TextCorpus corpus) {
        long n = 0, chars = 0;
        try (Stream<Document> docs = corpus.documents()) {
            for (Iterator<Document> it = docs.iterator(); it.hasNext(); ) {
                Document d = it.next();
                n++;
                chars += d.text().length() + (d.text().endsWith("\n") ? 0 : 1);
            }
        }
        return new DocumentStats(n, chars);
    }

    /** Whether a document goes to validation: a hash of its name below the fraction, so the choice is stable. */
    static boolean isVal(String name, double fraction) {
        long h = Long.parseUnsignedLong(sha256(name).substring(0, 15), 16);
        return (h / (double) (1L << 60)) < fraction;
    }

    static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
