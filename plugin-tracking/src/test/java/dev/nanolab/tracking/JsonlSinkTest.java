package dev.nanolab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.tracking.jsonl.JsonlSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    List<String> lines() throws Exception {
        return Files.readAllLines(dir.resolve(JsonlSink.FILE));
    }

    @Test
    void writesTodaysLinesWithWallTimeAndARunRecordFirst() throws Exception {
        FakeRun.write(new JsonlSink().open(dir, FakeRun.INFO, 0), 0, Long.MAX_VALUE);
        List<String> lines = lines();
        assertThat(lines).hasSize(7);
        JsonNode run = JSON.readTree(lines.getFirst());
        assertThat(run.path("type").asText()).isEqualTo("run");
        assertThat(run.path("host").asText()).isEqualTo("host-a");
        assertThat(run.path("git_commit").asText()).isEqualTo(FakeRun.INFO.gitCommit().orElseThrow());
        assertThat(run.path("config").asText()).isEqualTo(FakeRun.INFO.config());
        assertThat(run.path("nanolab_version").asText()).isEqualTo("1.0.0");
        // MetricsLog's lines as they were, with "time" after "iter": key order, number formats, nulls, histograms.
        assertThat(lines.get(1)).isEqualTo("{\"type\":\"eval\",\"iter\":0,\"time\":1765000001.250,\"train_loss\":4.0,\"val_loss\":4.25,\"lr\":0.0}");
        assertThat(lines.get(2)).isEqualTo("{\"type\":\"probe\",\"iter\":0,\"time\":1765000001.750,\"probe\":\"kurtosis\",\"kurt/h.0\":3.5,"
                + "\"kurt/h.1\":null,\"hist/w\":{\"edges\":[-1.0,0.0,0.5,2.0],\"counts\":[3,5,2]},\"layer\":{\"norm\":2.0}}");
        assertThat(lines.get(3)).isEqualTo("{\"type\":\"train\",\"iter\":0,\"time\":1765000002.250,\"loss\":4.5,\"lr\":1.0E-4,\"grad_norm\":1.25,"
                + "\"ms\":12.5,\"tokens_per_s\":2048.0,\"mfu\":0.125}");
        assertThat(lines.get(4)).isEqualTo("{\"type\":\"train\",\"iter\":5,\"time\":1765000003.250,\"loss\":null,\"lr\":1.0E-4,\"skipped\":true,\"skipped_steps\":1}");
    }

    @Test
    void resumingDropsRecordsAtAndAfterTheResumeIterationAndALineCutOffByAKill() throws Exception {
        FakeRun.write(new JsonlSink().open(dir, FakeRun.INFO, 0), 0, Long.MAX_VALUE);
        Files.writeString(dir.resolve(JsonlSink.FILE), "{\"type\":\"train\",\"it", java.nio.file.StandardOpenOption.APPEND);
        FakeRun.write(new JsonlSink().open(dir, FakeRun.INFO, 5), 5, Long.MAX_VALUE);
        List<String> types = lines().stream().map(l -> {
            try {
                JsonNode n = JSON.readTree(l);
                return n.path("type").asText() + "@" + n.path("iter").asLong();
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
        assertThat(types).containsExactly("run@0", "eval@0", "probe@0", "train@0", "run@5", "train@5", "train@10", "eval@10");
        assertThat(Files.exists(dir.resolve(JsonlSink.FILE + ".tmp"))).isFalse();
    }
}
