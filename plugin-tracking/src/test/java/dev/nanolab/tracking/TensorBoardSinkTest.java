package dev.nanolab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.tracking.tensorboard.TensorBoardSink;
import dev.nanolab.tracking.tensorboard.TfRecords;
import dev.nanolab.tracking.tensorboard.proto.Event;
import dev.nanolab.tracking.tensorboard.proto.HistogramProto;
import dev.nanolab.tracking.tensorboard.proto.SessionLog;
import dev.nanolab.tracking.tensorboard.proto.Summary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardSinkTest {
    @TempDir
    Path dir;

    List<Path> eventFiles() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(TensorBoardSink.PREFIX)).sorted().toList();
        }
    }

    static List<Event> events(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (byte[] data : TfRecords.readAll(in, file.toString())) out.add(Event.parseFrom(data));
        }
        return out;
    }

    /** tag@step → value of every scalar. */
    static Map<String, Float> scalars(List<Event> events) {
        Map<String, Float> out = new LinkedHashMap<>();
        for (Event e : events)
            for (Summary.Value v : e.getSummary().getValueList())
                if (v.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) out.put(v.getTag() + "@" + e.getStep(), v.getSimpleValue());
        return out;
    }

    @Test
    void eventFileParsesBackWithValidCrcsTagsStepsValuesAndWallTimes() throws Exception {
        FakeRun.write(new TensorBoardSink().open(dir, FakeRun.INFO, 0), 0, Long.MAX_VALUE);
        List<Path> files = eventFiles();
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("events.out.tfevents.1765000000.host-a");
        List<Event> events = events(files.getFirst());

        assertThat(events.getFirst().getFileVersion()).isEqualTo("brain.Event:2");
        assertThat(events.getFirst().getWallTime()).isCloseTo(FakeRun.T0, within(1e-6));
        Summary run = events.get(1).getSummary();
        assertThat(run.getValueList()).extracting(Summary.Value::getTag).containsExactly("run/info", "run/config");
        Summary.Value config = run.getValue(1);
        assertThat(config.getMetadata().getPluginData().getPluginName()).isEqualTo("text");
        assertThat(config.getTensor().getStringVal(0).toString(StandardCharsets.UTF_8)).contains("seed: 7").startsWith("```yaml");
        assertThat(run.getValue(0).getTensor().getStringVal(0).toString(StandardCharsets.UTF_8)).contains("host-a", "0123456789abcdef");

        Map<String, Float> s = scalars(events);
        assertThat(s).containsEntry("train/loss@0", 4.5f).containsEntry("train/loss@10", 3.5f).containsEntry("train/lr@0", 1e-4f)
                .containsEntry("eval/val_loss@0", 4.25f).containsEntry("eval/val_loss@10", 3.25f)
                .containsEntry("probe/kurt/h.0@0", 3.5f).containsEntry("probe/layer/norm@0", 2f)
                .containsEntry("train/skipped_steps@5", 1f);
        // No scalar for a null, a string or a boolean.
        assertThat(s).doesNotContainKeys("train/loss@5", "probe/kurt/h.1@0", "probe/probe@0", "train/skipped@5");
        // Each record's event carries the record's wall time and iteration.
        Event train10 = events.stream().filter(e -> e.getStep() == 10 && e.getSummary().getValueList().stream()
                .anyMatch(v -> v.getTag().equals("train/loss"))).findFirst().orElseThrow();
        assertThat(train10.getWallTime()).isCloseTo(FakeRun.T0 + 4, within(1e-6));

        HistogramProto h = events.stream().flatMap(e -> e.getSummary().getValueList().stream())
                .filter(v -> v.getTag().equals("probe/hist/w")).findFirst().orElseThrow().getHisto();
        assertThat(h.getBucketLimitList()).containsExactly(0.0, 0.5, 2.0);
        assertThat(h.getBucketList()).containsExactly(3.0, 5.0, 2.0);
        assertThat(h.getMin()).isEqualTo(-1.0);
        assertThat(h.getMax()).isEqualTo(2.0);
        assertThat(h.getNum()).isEqualTo(10.0);
        assertThat(h.getSum()).isCloseTo(3 * -0.5 + 5 * 0.25 + 2 * 1.25, within(1e-12));
    }

    @Test
    void aResumedSessionWritesASecondFileThatStartsWithSessionLogStartAtTheResumeIteration() throws Exception {
        FakeRun.write(new TensorBoardSink().open(dir, FakeRun.INFO, 0), 0, 10);
        FakeRun.write(new TensorBoardSink().open(dir, FakeRun.INFO, 5), 5, Long.MAX_VALUE);
        List<Path> files = eventFiles();
        assertThat(files).hasSize(2); // same second: the second file gets a suffix instead of replacing the first
        List<Event> resumed = events(files.get(1));
        assertThat(resumed.get(1).getSessionLog().getStatus()).isEqualTo(SessionLog.SessionStatus.START);
        assertThat(resumed.get(1).getStep()).isEqualTo(5);
        assertThat(scalars(resumed)).containsKey("train/loss@10").doesNotContainKey("train/loss@0");
    }

    @Test
    void aFlippedBitFailsTheCrcCheckNamingTheRecord() throws Exception {
        FakeRun.write(new TensorBoardSink().open(dir, FakeRun.INFO, 0), 0, Long.MAX_VALUE);
        byte[] bytes = Files.readAllBytes(eventFiles().getFirst());
        int firstLength = (int) bytes[0]; // the first record is short: its length fits one byte
        byte[] data = bytes.clone();
        data[12 + 2] ^= 1; // inside record 0's data
        assertThatThrownBy(() -> TfRecords.readAll(new ByteArrayInputStream(data), "f")).hasMessage("f: record 0 has a bad data CRC");
        byte[] length = bytes.clone();
        length[12 + firstLength + 4] ^= 1; // record 1's length
        assertThatThrownBy(() -> TfRecords.readAll(new ByteArrayInputStream(length), "f")).hasMessage("f: record 1 has a bad length CRC");
    }

    @Test
    void maskedCrcMatchesTensorFlowsKnownValue() {
        // crc32c("a") = 0xc1d04330; masked: ((c >>> 15) | (c << 17)) + 0xa282ead8.
        int c = 0xc1d04330;
        assertThat(TfRecords.maskedCrc(new byte[] {'a'}, 0, 1)).isEqualTo(((c >>> 15) | (c << 17)) + 0xa282ead8);
    }
}
