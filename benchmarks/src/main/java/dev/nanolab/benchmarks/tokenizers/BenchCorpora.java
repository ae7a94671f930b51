package dev.nanolab.benchmarks.tokenizers;

import dev.nanolab.api.data.TextCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark corpora that {@code benchmarks/prepare-corpora} writes: {@code english-10mb.txt} and
 * {@code jdk-10mb.txt}, in the folder named by the system property {@code nanolab.corpora}, else
 * {@code benchmarks/target/corpora} or {@code target/corpora} under the working directory.
 */
final class BenchCorpora {
    private BenchCorpora() {}

    /** The text of a corpus: {@code english} or {@code jdk}. */
    static String text(String corpus) {
        Path file = folder().resolve(corpus + "-10mb.txt");
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath() + "; run benchmarks/prepare-corpora", e);
        }
    }

    /** The text cut at line ends into documents of about 64 KiB, as a training corpus. */
    static TextCorpus documents(String corpus, String text) {
        List<String> documents = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', Math.min(start + 65_536, text.length() - 1));
            end = end < 0 ? text.length() : end + 1;
            documents.add(text.substring(start, end));
            start = end;
        }
        return TextCorpus.of(corpus, documents.toArray(String[]::new));
    }

    private static Path folder() {
        String configured = System.getProperty("nanolab.corpora");
        if (configured != null) return Path.of(configured);
        Path fromRoot = Path.of("benchmarks", "target", "corpora");
        return Files.isDirectory(fromRoot) ? fromRoot : Path.of("target", "corpora");
    }
}
