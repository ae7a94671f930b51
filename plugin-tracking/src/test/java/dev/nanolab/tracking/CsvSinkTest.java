package dev.nanolab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.metrics.MetricsWriter;
import dev.nanolab.tracking.csv.Csv;
import dev.nanolab.tracking.csv.CsvSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSinkTest {
    @TempDir
    Path dir;

    List<String> lines(String type) throws Exception {
        return Files.readAllLines(dir.resolve(CsvSink.fileName(type)));
    }

    @Test
    void writesOneFilePerTypeWithTheColumnsInFirstSeenOrder() throws Exception {
        FakeRun.write(new CsvSink().open(dir, FakeRun.INFO, 0), 0, Long.MAX_VALUE);
        assertThat(lines("eval")).containsExactly("iter,time,train_loss,val_loss,lr",
                "0,1765000001.250,4.0,4.25,0.0", "10,1765000005.250,3.0,3.25,5.0E-4");
        // The skipped step widens the file: its new columns are empty in the earlier row, its null loss is empty.
        assertThat(lines("train")).containsExactly("iter,time,loss,lr,grad_norm,ms,tokens_per_s,mfu,skipped,skipped_steps",
                "0,1765000002.250,4.5,1.0E-4,1.25,12.5,2048.0,0.125,,",
                "5,1765000003.250,,1.0E-4,,,,,true,1",
                "10,1765000004.250,3.5,5.0E-4,0.5,10.0,4096.0,0.25,,");
        // Histograms are left out; nested maps are outer/inner.
        assertThat(lines("probe")).containsExactly("iter,time,probe,kurt/h.0,kurt/h.1,layer/norm", "0,1765000001.750,kurtosis,3.5,,2.0");
        assertThat(Files.exists(dir.resolve(CsvSink.fileName("run")))).isFalse();
    }

    @Test
    void resumingKeepsTheColumnsAndDropsRowsAtAndAfterTheResumeIteration() throws Exception {
        FakeRun.write(new CsvSink().open(dir, FakeRun.INFO, 0), 0, Long.MAX_VALUE);
        FakeRun.write(new CsvSink().open(dir, FakeRun.INFO, 5), 10, Long.MAX_VALUE);
        List<String> train = lines("train");
        assertThat(train.getFirst()).isEqualTo("iter,time,loss,lr,grad_norm,ms,tokens_per_s,mfu,skipped,skipped_steps");
        assertThat(train.stream().skip(1).map(l -> l.substring(0, l.indexOf(',')))).containsExactly("0", "10");
    }

    @Test
    void quotesCellsWithCommasQuotesAndLineBreaks() throws Exception {
        try (MetricsWriter w = new CsvSink().open(dir, FakeRun.INFO, 0)) {
            w.write(MetricsRecord.of("note", 1, FakeRun.T0).put("text", "a, \"b\"\nc").build());
        }
        List<List<String>> rows = Csv.parse(Files.readString(dir.resolve(CsvSink.fileName("note"))));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).containsExactly("1", "1765000000.250", "a, \"b\"\nc");
    }
}
