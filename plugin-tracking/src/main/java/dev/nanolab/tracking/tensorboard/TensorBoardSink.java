package dev.nanolab.tracking.tensorboard;

import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.metrics.MetricsSink;
import dev.nanolab.api.metrics.MetricsWriter;
import dev.nanolab.api.metrics.RunInfo;
import dev.nanolab.tracking.tensorboard.proto.Event;
import dev.nanolab.tracking.tensorboard.proto.SessionLog;
import dev.nanolab.tracking.tensorboard.proto.Summary;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * TensorBoard event files in the run folder ({@code tensorboard --logdir runs} shows every run by its folder): each
 * session writes {@code events.out.tfevents.<seconds>.<host>}, TFRecord-framed {@code Event} messages: the file
 * version, the run's info and config as text ({@code run/info}, {@code run/config}), then one event per record with
 * its scalars and histograms ({@link Summaries}). A resumed session first logs a {@code SessionLog START} at the
 * resume iteration, so TensorBoard drops what the earlier file had logged from there on.
 */
public final class TensorBoardSink implements MetricsSink {
    public static final String PREFIX = "events.out.tfevents.";

    @Override
    public MetricsWriter open(Path runDir, RunInfo run, long fromIteration) throws IOException {
        String base = PREFIX + run.startTime().getEpochSecond() + "." + run.host();
        Path file = runDir.resolve(base);
        for (int i = 1; Files.exists(file); i++) file = runDir.resolve(base + "." + i); // two sessions in one second
        Writer w = new Writer(file, new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)));
        double t = run.startSeconds();
        w.event(Event.newBuilder().setWallTime(t).setStep(fromIteration).setFileVersion("brain.Event:2").build());
        if (fromIteration > 0)
            w.event(Event.newBuilder().setWallTime(t).setStep(fromIteration)
                    .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START).setMsg("resumed at iteration " + fromIteration)).build());
        w.event(Event.newBuilder().setWallTime(t).setStep(fromIteration).setSummary(Summary.newBuilder()
                .addValue(Summaries.text("run/info", info(run)))
                .addValue(Summaries.text("run/config", "```yaml\n" + run.config().strip() + "\n```"))).build());
        w.flush();
        return w;
    }

    private static String info(RunInfo run) {
        return "| | |\n|---|---|\n| run | " + run.name() + " |\n| host | " + run.host() + " |\n| nanolab | " + run.nanolabVersion()
                + " |\n| git commit | " + run.gitCommit().orElse("unknown") + " |\n| started | " + run.startTime() + " |";
    }

    private static final class Writer implements MetricsWriter {
        private final Path file;
        private final OutputStream out;

        Writer(Path file, OutputStream out) {
            this.file = file;
            this.out = out;
        }

        void event(Event e) throws IOException {
            TfRecords.write(out, e.toByteArray());
        }

        @Override
        public void write(MetricsRecord record) {
            Summary s = Summaries.of(record);
            if (s.getValueCount() == 0) return;
            try {
                event(Event.newBuilder().setWallTime(record.time()).setStep(record.iteration()).setSummary(s).build());
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
