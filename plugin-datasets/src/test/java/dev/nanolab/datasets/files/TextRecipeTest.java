package dev.nanolab.datasets.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.data.Document;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.datasets.corpus.SourceCorpus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextRecipeTest {
    @TempDir
    Path tmp;

    private Path write(String rel, String text) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private static TextCorpus open(String path, List<String> include, long maxBytes) throws IOException {
        return new TextRecipe(new TextConfig(path, include, maxBytes)).open();
    }

    private static List<Document> all(TextCorpus corpus) {
        try (Stream<Document> docs = corpus.documents()) {
            return docs.toList();
        }
    }

    @Test
    void aFolderIsEveryTextFileUnderItInSortedPathOrderWithItsContentIntact() throws IOException {
        write("b/z.txt", "zed\n");
        write("a.md", "# A\r\nwith CRLF\r\n");
        write("b/a/deep/x.java", "class X {}\n");
        write("b/a.txt", "ünïcödé 😀\n");
        write("c", "no extension\n");
        write("b/empty.txt", "");
        TextCorpus corpus = open(tmp.toString(), List.of(), 0);
        assertThat(corpus.name()).isEqualTo("text:" + tmp);
        List<Document> docs = all(corpus);
        assertThat(docs).extracting(Document::name)
                .containsExactly("a.md", "b/a.txt", "b/a/deep/x.java", "b/empty.txt", "b/z.txt", "c");
        assertThat(docs).extracting(Document::text)
                .containsExactly("# A\r\nwith CRLF\r\n", "ünïcödé 😀\n", "class X {}\n", "", "zed\n", "no extension\n");
        assertThat(all(corpus)).isEqualTo(docs);
    }

    @Test
    void filesThatAreNotUtf8TextAndHiddenFilesAreLeftOut() throws IOException {
        write("keep.txt", "kept\n");
        Files.write(tmp.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        Files.write(tmp.resolve("latin1.txt"), "café\n".getBytes(StandardCharsets.ISO_8859_1));
        write(".hidden.txt", "hidden\n");
        write(".git/config", "[core]\n");
        write("sub/.cache/x.txt", "hidden\n");
        Files.write(tmp.resolve("bom.txt"), ("\uFEFFwith bom\n").getBytes(StandardCharsets.UTF_8));
        TextCorpus corpus = open(tmp.toString(), List.of(), 0);
        assertThat(((SourceCorpus) corpus).skipped()).isEmpty(); // nothing read yet
        List<Document> docs = all(corpus);
        assertThat(docs).extracting(Document::name).containsExactly("bom.txt", "keep.txt");
        assertThat(docs.getFirst().text()).isEqualTo("with bom\n");
        assertThat(((SourceCorpus) corpus).skipped()).containsExactly("image.png", "latin1.txt");
    }

    @Test
    void includeNarrowsByGlob() throws IOException {
        write("docs/a.md", "a");
        write("docs/deep/b.md", "b");
        write("src/c.txt", "c");
        write("src/sub/d.txt", "d");
        assertThat(all(open(tmp.toString(), List.of("*.md"), 0))).extracting(Document::name)
                .containsExactly("docs/a.md", "docs/deep/b.md");
        assertThat(all(open(tmp.toString(), List.of("src/*"), 0))).extracting(Document::name).containsExactly("src/c.txt");
        assertThat(all(open(tmp.toString(), List.of("src/**", "a.md"), 0))).extracting(Document::name)
                .containsExactly("docs/a.md", "src/c.txt", "src/sub/d.txt");
        assertThatThrownBy(() -> open(tmp.toString(), List.of("*.rst"), 0))
                .hasMessageContaining("no files to read in " + tmp.toAbsolutePath()).hasMessageContaining("[*.rst]");
    }

    @Test
    void aFileIsOneDocumentNamedAsGiven() throws IOException {
        Path file = write("input.txt", "First Citizen:\nBefore we proceed any further, hear me speak.\n");
        TextCorpus corpus = open(file.toString(), List.of(), 0);
        assertThat(all(corpus)).containsExactly(new Document(file.toString(),
                "First Citizen:\nBefore we proceed any further, hear me speak.\n"));
        assertThat(corpus.name()).isEqualTo("text:" + file);
    }

    @Test
    void maxBytesCutsTheCorpus() throws IOException {
        write("1.txt", "aaaa");
        write("2.txt", "bbbb");
        write("3.txt", "cccc");
        assertThat(all(open(tmp.toString(), List.of(), 6))).containsExactly(new Document("1.txt", "aaaa"), new Document("2.txt", "bb"));
        assertThat(all(open(tmp.toString(), List.of(), 8))).extracting(Document::name).containsExactly("1.txt", "2.txt");
        assertThat(all(open(tmp.toString(), List.of(), 1000))).hasSize(3);
    }

    @Test
    void aMissingPathIsOneLineNamingIt() {
        Path missing = tmp.resolve("data/nope.txt");
        assertThatThrownBy(() -> open(missing.toString(), List.of(), 0))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("text:" + missing + ": no such file or folder: " + missing.toAbsolutePath());
        assertThatThrownBy(() -> open("", List.of(), 0)).hasMessageContaining("text:PATH");
    }

    @Test
    void aGivenFileThatIsNotUtf8TextAndAnEmptyFolderAreErrors() throws IOException {
        Path bin = Files.write(tmp.resolve("data.bin"), new byte[] {'o', 'k', (byte) 0xff, 'x'});
        assertThatThrownBy(() -> open(bin.toString(), List.of(), 0))
                .hasMessage("text:" + bin + ": " + bin.toAbsolutePath() + " is not UTF-8 text (byte 0xff at offset 2 is not valid UTF-8)");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve(".only-hidden"), "x");
        assertThatThrownBy(() -> open(empty.toString(), List.of(), 0))
                .hasMessageStartingWith("text:" + empty + ": no files to read in " + empty.toAbsolutePath());
    }
}
