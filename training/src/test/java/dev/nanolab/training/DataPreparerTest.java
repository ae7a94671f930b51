package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.training.config.DataConfig;
import dev.nanolab.training.data.DataPreparer;
import dev.nanolab.training.data.PreparedData;
import dev.nanolab.training.data.TokenFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preparing token files from a corpus. */
class DataPreparerTest {
    @TempDir
    Path dir;

    private final DataPreparer preparer = new DataPreparer(new PrintStream(new ByteArrayOutputStream()));
    private final TokenizerFactory chars = Fixtures.REGISTRY.createDefault(ComponentKind.TOKENIZER, "char");

    @Test
    void aSingleDocumentIsSplitAtNinetyPercentLikeNanoGpt() throws Exception {
        String text = "abcdefghij".repeat(100);
        try (PreparedData d = preparer.prepare(dir.resolve("p"), TextCorpus.of("one", text), chars,
                new DataConfig(0.1, DataConfig.Split.AUTO, dir.toString()), "k")) {
            assertThat(d.train().count()).isEqualTo(900);
            assertThat(d.val().count()).isEqualTo(101); // the trailing newline joins the val part
            assertThat(d.tokenizer().decode(read(d.train()))).isEqualTo(text.substring(0, 900));
            assertThat(d.tokenizer().decode(read(d.val()))).isEqualTo(text.substring(900) + "\n");
        }
    }

    @Test
    void manyDocumentsAreSplitByDocumentAndEveryCharacterLandsOnce() throws Exception {
        String[] docs = new String[50];
        for (int i = 0; i < docs.length; i++) docs[i] = "document " + i + " says " + "xyz".repeat(i % 4) + "\n";
        try (PreparedData d = preparer.prepare(dir.resolve("p"), TextCorpus.of("many", docs), chars,
                new DataConfig(0.2, DataConfig.Split.AUTO, dir.toString()), "k")) {
            String train = d.tokenizer().decode(read(d.train())), val = d.tokenizer().decode(read(d.val()));
            assertThat(train.length() + val.length()).isEqualTo(String.join("", docs).length());
            int inVal = 0;
            for (String doc : docs) {
                boolean t = train.contains(doc), v = val.contains(doc);
                assertThat(t ^ v).as(doc).isTrue();
                if (v) inVal++;
            }
            assertThat(inVal).isBetween(3, 20);
        }
    }

    @Test
    void aSecondPreparationReusesTheFolderAndATokenizerMismatchIsRefused() throws Exception {
        Path p = dir.resolve("p");
        DataConfig dc = new DataConfig(0.1, DataConfig.Split.TAIL, dir.toString());
        preparer.prepare(p, TextCorpus.of("a", "hello world ".repeat(50)), chars, dc, "k").close();
        long modified = Files.getLastModifiedTime(p.resolve(PreparedData.TRAIN)).toMillis();
        preparer.prepare(p, TextCorpus.of("a", "hello world ".repeat(50)), chars, dc, "k").close();
        assertThat(Files.getLastModifiedTime(p.resolve(PreparedData.TRAIN)).toMillis()).isEqualTo(modified);
        // Replace the tokenizer state with one fitted on other text: the token files no longer match it.
        try (PreparedData other = preparer.prepare(dir.resolve("q"), TextCorpus.of("b", "other letters: qqq"), chars, dc, "k")) {
            Files.copy(other.dir().resolve(PreparedData.TOKENIZER), p.resolve(PreparedData.TOKENIZER), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThatThrownBy(() -> PreparedData.open(p, chars)).hasMessageContaining("was made by tokenizer").hasMessageContaining("prepare the data again");
    }

    @Test
    void anEmptyCorpusIsAClearError() {
        assertThatThrownBy(() -> preparer.prepare(dir.resolve("e"), TextCorpus.of("empty"), chars,
                new DataConfig(0.1, DataConfig.Split.AUTO, dir.toString()), "k"))
                .hasMessageContaining("dataset empty is empty");
    }

    static int[] read(TokenFile f) {
        int[] ids = new int[(int) f.count()];
        f.read(0, ids, 0, ids.length);
        return ids;
    }
}
