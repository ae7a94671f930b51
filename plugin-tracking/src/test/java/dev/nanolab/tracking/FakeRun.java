package dev.nanolab.tracking;

import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.metrics.MetricsWriter;
import dev.nanolab.api.metrics.RunInfo;
import dev.nanolab.api.probe.Histogram;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A short run's records, as the trainer writes them, at fixed wall times. */
public final class FakeRun {
    public static final double T0 = 1765000000.25;
    public static final RunInfo INFO = new RunInfo("fake", "host-a", "1.0.0", Optional.of("0123456789abcdef0123456789abcdef01234567"),
            "seed: 7\nmodel: {name: gpt}\n", Instant.ofEpochMilli(1765000000250L));
    public static final Histogram HIST = new Histogram(new double[] {-1, 0, 0.5, 2}, new long[] {3, 5, 2});

    private FakeRun() {}

    /** Iterations 0, 5 and 10: train and eval records, a probe record with a histogram, a null and a nested map. */
    public static List<MetricsRecord> records() {
        return List.of(
                MetricsRecord.of("eval", 0, T0 + 1).put("train_loss", 4.0).put("val_loss", 4.25).put("lr", 0.0).build(),
                MetricsRecord.of("probe", 0, T0 + 1.5).put("probe", "kurtosis").put("kurt/h.0", 3.5).put("kurt/h.1", null)
                        .put("hist/w", HIST).put("layer", Map.of("norm", 2.0)).build(),
                MetricsRecord.of("train", 0, T0 + 2).put("loss", 4.5).put("lr", 1e-4).put("grad_norm", 1.25).put("ms", 12.5)
                        .put("tokens_per_s", 2048.0).put("mfu", 0.125).build(),
                MetricsRecord.of("train", 5, T0 + 3).put("loss", null).put("lr", 1e-4).put("skipped", true).put("skipped_steps", 1L).build(),
                MetricsRecord.of("train", 10, T0 + 4).put("loss", 3.5).put("lr", 5e-4).put("grad_norm", 0.5).put("ms", 10.0)
                        .put("tokens_per_s", 4096.0).put("mfu", 0.25).build(),
                MetricsRecord.of("eval", 10, T0 + 5).put("train_loss", 3.0).put("val_loss", 3.25).put("lr", 5e-4).build());
    }

    /** Writes the records of iterations in [from, to) and closes the writer. */
    public static void write(MetricsWriter w, long from, long to) throws Exception {
        try (w) {
            for (MetricsRecord r : records()) if (r.iteration() >= from && r.iteration() < to) w.write(r);
            w.flush();
        }
    }
}
