package dev.nanolab.training.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.metrics.MetricsSink;
import dev.nanolab.api.metrics.MetricsWriter;
import dev.nanolab.api.metrics.RunInfo;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.UnknownComponentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's records, sent to every metrics sink of its config ({@code metrics: [jsonl, csv, tensorboard]}): each record
 * has a {@code type} ("train", "eval", "probe", ...), an {@code iter} and its wall {@code time}. {@code jsonl} writes
 * {@code metrics.jsonl} (read by report and compare) and is always among them. When the log opens it also writes
 * {@code run.json}: the session's {@link RunInfo} (host, nanolab version, git commit when known, config).
 */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl", RUN_INFO = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<MetricsWriter> writers;

    private MetricsLog(List<MetricsWriter> writers) {
        this.writers = writers;
    }

    /**
     * Opens every sink for a session starting at {@code fromIter}. When resuming, each sink drops what it can of
     * iterations at or after {@code fromIter} (metrics.jsonl and the CSV files do; TensorBoard is told the run
     * restarts there): the resumed run computes them again, identically.
     */
    public static MetricsLog open(Path dir, long fromIter, List<ComponentRef<MetricsSink>> sinks, ComponentRegistry registry,
                                  RunInfo info) throws IOException {
        writeRunInfo(dir, info);
        List<MetricsWriter> writers = new ArrayList<>();
        try {
            for (ComponentRef<MetricsSink> ref : sinks) writers.add(create(ref, registry).open(dir, info, fromIter));
        } catch (IOException | RuntimeException e) {
            closeAll(writers, e);
            throw e;
        }
        return new MetricsLog(writers);
    }

    private static MetricsSink create(ComponentRef<MetricsSink> ref, ComponentRegistry registry) {
        try {
            return ref.create(registry);
        } catch (UnknownComponentException e) {
            throw new IllegalArgumentException("metrics: " + e.getMessage() + "; the built-in sinks (jsonl, csv, tensorboard) come with "
                    + "plugin module dev.nanolab.tracking: load it (it is in plugins/; name it in --modules when listing modules)", e);
        }
    }

    /** Opens the config's sinks for {@code run}, with this session's run info. */
    static MetricsLog open(TrainingRun run, Path dir, long fromIter) throws IOException {
        return open(dir, fromIter, run.config().metrics(), run.registry(), RunInfos.current(dir, run.configYaml()));
    }

    private static void writeRunInfo(Path dir, RunInfo info) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", info.name()).put("host", info.host()).put("nanolab_version", info.nanolabVersion());
        info.gitCommit().ifPresent(c -> n.put("git_commit", c));
        n.put("start_time", info.startTime().toString()).put("time", java.math.BigDecimal.valueOf(Math.round(info.startSeconds() * 1000), 3)).put("config", info.config());
        Path tmp = dir.resolve(RUN_INFO + ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(RUN_INFO), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A record of the given type and iteration, timed now, to put values into and {@link #write}. */
    public MetricsRecord.Builder record(String type, long iter) {
        return MetricsRecord.of(type, iter);
    }

    public void write(MetricsRecord.Builder record) {
        write(record.build());
    }

    public void write(MetricsRecord record) {
        for (MetricsWriter w : writers) w.write(record);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (MetricsWriter w : writers) {
            try {
                w.close();
            } catch (IOException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    private static void closeAll(List<MetricsWriter> writers, Exception cause) {
        for (MetricsWriter w : writers) {
            try {
                w.close();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
