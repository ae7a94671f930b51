package dev.nanolab.datasets.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.data.Document;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.datasets.corpus.SourceCorpus;
import dev.nanolab.datasets.corpus.Utf8Text;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkSourceRecipeTest {
    private static final Path SRC_ZIP = Path.of(System.getProperty("java.home"), "lib", "src.zip");

    private static TextCorpus open(List<String> include, long maxBytes) throws Exception {
        return new JdkSourceRecipe(new JdkSourceConfig(include, maxBytes, "")).open();
    }

    private static List<Document> all(TextCorpus corpus) {
        try (Stream<Document> docs = corpus.documents()) {
            return docs.toList();
        }
    }

    @Test
    void readsTheRunningJdksSrcZip() throws Exception {
        assertThat(SRC_ZIP).as("this JDK must have lib/src.zip").isRegularFile();
        TextCorpus corpus = open(List.of("java.base/java/lang/Object.java"), 0);
        assertThat(corpus.name()).isEqualTo("jdk-source");
        List<Document> docs = all(corpus);
        assertThat(docs).extracting(Document::name).containsExactly("java.base/java/lang/Object.java");
        assertThat(docs.getFirst().text()).contains("public class Object {").contains("public final native Class<?> getClass();");
        assertThat(new JdkSourceRecipe(new JdkSourceConfig()).srcZip()).isEqualTo(SRC_ZIP);
    }

    @Test
    void everyJavaEntryInZipOrderIsADocumentAndNoneIsSkipped() throws Exception {
        List<String> expected = new ArrayList<>();
        try (ZipFile zip = new ZipFile(SRC_ZIP.toFile())) {
            zip.stream().filter(e -> !e.isDirectory() && e.getName().endsWith(".java")).forEach(e -> expected.add(e.getName()));
        }
        assertThat(expected).hasSizeGreaterThan(10_000);
        TextCorpus corpus = open(List.of(), 0);
        List<String> names = new ArrayList<>();
        long[] chars = {0};
        try (Stream<Document> docs = corpus.documents()) {
            docs.forEach(d -> {
                names.add(d.name());
                chars[0] += d.text().length();
            });
        }
        assertThat(names).isEqualTo(expected);
        assertThat(chars[0]).isGreaterThan(100_000_000L);
        assertThat(((SourceCorpus) corpus).skipped()).isEmpty();
    }

    @Test
    void includeNarrowsTheEntriesAndTheOrderIsTheSameOnEveryCall() throws Exception {
        TextCorpus corpus = open(List.of("java.base/java/util/*"), 0);
        List<Document> first = all(corpus);
        List<Document> second = all(corpus);
        assertThat(first).hasSizeGreaterThan(50);
        assertThat(first).allSatisfy(d -> assertThat(d.name()).startsWith("java.base/java/util/").doesNotContain("/concurrent/"));
        assertThat(first).extracting(Document::name).contains("java.base/java/util/ArrayList.java");
        assertThat(second).isEqualTo(first);
        // The zip's own order.
        List<String> names = first.stream().map(Document::name).toList();
        List<String> zipOrder = new ArrayList<>();
        try (ZipFile zip = new ZipFile(SRC_ZIP.toFile())) {
            zip.stream().map(e -> e.getName()).filter(n -> n.startsWith("java.base/java/util/")
                    && n.indexOf('/', "java.base/java/util/".length()) < 0).forEach(zipOrder::add);
        }
        assertThat(names).isEqualTo(zipOrder);
    }

    @Test
    void severalPatternsAndFileNamePatterns() throws Exception {
        List<Document> docs = all(open(List.of("Object.java", "java.base/java/lang/String.java"), 0));
        assertThat(docs).extracting(Document::name).contains("java.base/java/lang/Object.java", "java.base/java/lang/String.java")
                .allSatisfy(n -> assertThat(n).matches(".*/(Object|String)\\.java"));
    }

    @Test
    void maxBytesStopsAfterThatManyBytesCuttingTheLastDocument() throws Exception {
        TextCorpus corpus = open(List.of("java.base/**"), 100_000);
        List<Document> docs = all(corpus);
        long total = docs.stream().mapToLong(d -> Utf8Text.utf8Length(d.text())).sum();
        assertThat(total).isLessThanOrEqualTo(100_000).isGreaterThan(100_000 - 4);
        assertThat(docs.size()).isGreaterThan(1);
        List<Document> whole = all(open(List.of("java.base/**"), 0)).subList(0, docs.size());
        assertThat(docs.subList(0, docs.size() - 1)).isEqualTo(whole.subList(0, docs.size() - 1));
        Document last = docs.getLast();
        assertThat(whole.getLast().text()).startsWith(last.text()).isNotEqualTo(last.text());
        assertThat(all(corpus)).isEqualTo(docs);
    }

    @Test
    void aMissingSrcZipIsOneLineNamingThePathAndWhatToDo(@TempDir Path tmp) {
        Path missing = tmp.resolve("jre/lib/src.zip");
        assertThatThrownBy(() -> new JdkSourceRecipe(new JdkSourceConfig(List.of(), 0, missing.toString())).open())
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageStartingWith("jdk-source: no JDK sources at " + missing)
                .hasMessageContaining("src_zip")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aRuntimeWithoutSourcesIsToldWhatToDo(@TempDir Path jre) {
        assertThatThrownBy(() -> new JdkSourceRecipe(new JdkSourceConfig(), jre.toString()).open())
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("jdk-source: no JDK sources at " + jre.resolve("lib/src.zip") + "; this Java runtime (" + jre
                        + ") was installed without its sources (a JRE, or a JDK without src.zip); run nanolab on a JDK that"
                        + " has lib/src.zip (e.g. Temurin's, or add Debian's openjdk-NN-source package), set src_zip to"
                        + " another JDK's src.zip, or use text:PATH");
    }

    @Test
    void aFileThatIsNotAZipIsNamed(@TempDir Path tmp) throws Exception {
        Path notZip = Files.writeString(tmp.resolve("src.zip"), "not a zip");
        assertThatThrownBy(() -> new JdkSourceRecipe(new JdkSourceConfig(List.of(), 0, notZip.toString())).open())
                .hasMessageStartingWith("jdk-source: " + notZip + " is not a readable zip file");
    }

    @Test
    void badOptionsAreRefusedWhenTheConfigIsMade() {
        assertThatThrownBy(() -> new JdkSourceConfig(List.of("java.base/[x"), 0, ""))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("include: ");
        assertThatThrownBy(() -> new JdkSourceConfig(List.of(), -1, ""))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("max_bytes: ");
    }
}
