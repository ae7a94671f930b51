package dev.nanolab.datasets.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.data.Document;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.datasets.corpus.SourceCorpus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipRecipeTest {
    @TempDir
    Path tmp;

    private Path zip(Object... namesAndContents) throws IOException {
        Path zip = tmp.resolve("corpus.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry((String) namesAndContents[i]));
                Object c = namesAndContents[i + 1];
                z.write(c instanceof byte[] b ? b : ((String) c).getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }

    private static List<Document> all(TextCorpus corpus) {
        try (Stream<Document> docs = corpus.documents()) {
            return docs.toList();
        }
    }

    @Test
    void theTextEntriesInZipOrder() throws IOException {
        Path zip = zip("z/last-name-first.txt", "one\n", "a/dir/", "", "a/b.md", "two\n",
                "__MACOSX/a/._b.md", "mac", ".hidden", "h", "bin.dat", new byte[] {1, 0, 2}, "c.txt", "three");
        TextCorpus corpus = new ZipRecipe(new ZipConfig(zip.toString(), List.of(), 0)).open();
        assertThat(corpus.name()).isEqualTo("zip:" + zip);
        assertThat(all(corpus)).containsExactly(new Document("z/last-name-first.txt", "one\n"),
                new Document("a/b.md", "two\n"), new Document("c.txt", "three"));
        assertThat(((SourceCorpus) corpus).skipped()).containsExactly("bin.dat");
        assertThat(all(new ZipRecipe(new ZipConfig(zip.toString(), List.of("*.md", "c.*"), 4)).open()))
                .containsExactly(new Document("a/b.md", "two\n"));
    }

    @Test
    void aMissingZipIsNamed() {
        Path missing = tmp.resolve("none.zip");
        assertThatThrownBy(() -> new ZipRecipe(new ZipConfig(missing.toString(), List.of(), 0)).open())
                .isInstanceOf(FileNotFoundException.class).hasMessage("zip:" + missing + ": no such file: " + missing.toAbsolutePath());
    }
}
