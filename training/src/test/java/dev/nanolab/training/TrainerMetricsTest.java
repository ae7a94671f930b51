package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.metrics.MetricsSink;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import dev.nanolab.tracking.tensorboard.TfRecords;
import dev.nanolab.tracking.tensorboard.proto.Event;
import dev.nanolab.tracking.tensorboard.proto.SessionLog;
import dev.nanolab.tracking.tensorboard.proto.Summary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short run with {@code metrics: [jsonl, csv, tensorboard]}, killed midway and resumed: every sink's files. */
class TrainerMetricsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static ComponentRef<MetricsSink> sink(String name) {
        return new ComponentRef<>(ComponentKind.METRICS_SINK, name, new NoOptions());
    }

    void train(RunConfig c, boolean resume, LongConsumer beforeStep) throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        try (TrainingRun run = TrainingRun.open(c, "seed: 7\n", Fixtures.REGISTRY, quiet)) {
            new Trainer(run, Path.of(c.outDir()), quiet).beforeStep(beforeStep).run(resume);
        }
    }

    @Test
    void jsonlIsAlwaysFirstAndASinkListedTwiceIsRefused() {
        RunConfig c = Fixtures.config(dir, 20, 5, 3e-3, "softmax");
        assertThat(c.metrics()).extracting(ComponentRef::name).containsExactly("jsonl");
        assertThat(c.withMetrics(List.of(sink("tensorboard"))).metrics()).extracting(ComponentRef::name).containsExactly("jsonl", "tensorboard");
        assertThat(c.withMetrics(List.of(sink("csv"), sink("jsonl"))).metrics()).extracting(ComponentRef::name).containsExactly("csv", "jsonl");
        assertThatThrownBy(() -> c.withMetrics(List.of(sink("csv"), sink("csv")))).hasMessage("metrics: sink 'csv' is listed twice");
    }

    @Test
    void withoutTheTrackingPluginTheErrorNamesTheModuleToLoad() throws IOException {
        var registry = dev.nanolab.api.plugin.ComponentRegistry.of(new dev.nanolab.cpu.CpuPlugin());
        var info = new dev.nanolab.api.metrics.RunInfo("r", "h", "1.0.0", java.util.Optional.empty(), "", java.time.Instant.now());
        assertThatThrownBy(() -> dev.nanolab.training.train.MetricsLog.open(dir, 0, List.of(RunConfig.JSONL), registry, info))
                .hasMessageStartingWith("metrics: unknown metrics-sink 'jsonl'")
                .hasMessageContaining("plugin module dev.nanolab.tracking");
        assertThat(dir.resolve("run.json")).exists();
    }

    @Test
    void aResumedRunWritesJsonlCsvAndTensorBoardWithoutDuplicates() throws IOException {
        RunConfig c = Fixtures.config(dir, 20, 5, 3e-3, "softmax").withMetrics(List.of(sink("jsonl"), sink("csv"), sink("tensorboard")));
        Path run = Path.of(c.outDir());
        double start = System.currentTimeMillis() / 1e3 - 1;
        assertThatThrownBy(() -> train(c, false, iter -> {
            if (iter == 12) throw new IllegalStateException("killed");
        })).hasMessage("killed");
        train(c, true, iter -> {});
        double end = System.currentTimeMillis() / 1e3 + 1;

        // metrics.jsonl: a run record per session, every train step once, every line timed.
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) lines.add(JSON.readTree(l));
        assertThat(lines).allSatisfy(n -> assertThat(n.path("time").asDouble()).isBetween(start, end));
        assertThat(lines.stream().filter(n -> n.path("type").asText().equals("run")).map(n -> n.path("iter").asLong())).containsExactly(0L, 10L);
        List<JsonNode> train = lines.stream().filter(n -> n.path("type").asText().equals("train")).toList();
        assertThat(train).extracting(n -> n.path("iter").asLong()).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 20).boxed().toList());
        assertThat(train.getFirst().propertyStream().map(Map.Entry::getKey).toList())
                .containsExactly("type", "iter", "time", "loss", "lr", "grad_norm", "ms", "tokens_per_s", "mfu");

        JsonNode info = JSON.readTree(run.resolve("run.json").toFile());
        assertThat(info.path("name").asText()).isEqualTo("run");
        assertThat(info.path("host").asText()).isNotBlank();
        assertThat(info.path("nanolab_version").asText()).isEqualTo(NanolabApi.version());
        assertThat(info.path("config").asText()).isEqualTo("seed: 7\n");

        // CSV: one row per step and evaluation, the rows the resumed session recomputed not repeated.
        List<String> csv = Files.readAllLines(run.resolve("metrics-train.csv"));
        assertThat(csv.getFirst()).startsWith("iter,time,loss,lr,grad_norm");
        assertThat(csv.stream().skip(1).map(l -> Long.parseLong(l.substring(0, l.indexOf(',')))))
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 20).boxed().toList());
        assertThat(Files.readAllLines(run.resolve("metrics-eval.csv")).stream().skip(1).map(l -> l.substring(0, l.indexOf(','))))
                .containsExactly("0", "5", "10", "15", "20");

        // TensorBoard: a file per session; the second restarts at 10; train/loss at every step equals metrics.jsonl's.
        List<Path> files;
        try (var s = Files.list(run)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
        }
        assertThat(files).hasSize(2);
        Map<Long, Float> loss = new TreeMap<>();
        for (int f = 0; f < 2; f++) {
            List<Event> events = new ArrayList<>();
            try (InputStream in = Files.newInputStream(files.get(f))) {
                for (byte[] d : TfRecords.readAll(in, files.get(f).toString())) events.add(Event.parseFrom(d));
            }
            assertThat(events.getFirst().getFileVersion()).isEqualTo("brain.Event:2");
            if (f == 1) {
                assertThat(events.get(1).getSessionLog().getStatus()).isEqualTo(SessionLog.SessionStatus.START);
                assertThat(events.get(1).getStep()).isEqualTo(10);
            }
            long limit = f == 0 ? 10 : Long.MAX_VALUE; // what TensorBoard keeps of the first file after the restart
            for (Event e : events)
                for (Summary.Value v : e.getSummary().getValueList())
                    if (v.getTag().equals("train/loss") && e.getStep() < limit) loss.put(e.getStep(), v.getSimpleValue());
        }
        assertThat(loss).hasSize(20);
        for (JsonNode n : train) assertThat(loss.get(n.path("iter").asLong())).isEqualTo((float) n.path("loss").asDouble());
    }
}
