package dev.nanolab.tracking;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.metrics.MetricsSink;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.tracking.csv.CsvSink;
import dev.nanolab.tracking.jsonl.JsonlSink;
import dev.nanolab.tracking.tensorboard.TensorBoardSink;

import static dev.nanolab.api.plugin.ComponentKind.METRICS_SINK;

/** Registers the built-in metrics sinks: {@code jsonl}, {@code csv} and {@code tensorboard}. */
public final class TrackingPlugin extends AbstractModule implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @ProvidesIntoSet
    public ComponentSpec<?, MetricsSink> jsonl() {
        return ComponentSpec.of(METRICS_SINK, "jsonl",
                "metrics.jsonl, one JSON object per record (report and compare read it; always written)",
                NoOptions.class, c -> new JsonlSink());
    }

    @ProvidesIntoSet
    public ComponentSpec<?, MetricsSink> csv() {
        return ComponentSpec.of(METRICS_SINK, "csv",
                "metrics-<type>.csv, one file per record type (train, eval, probe), one column per value",
                NoOptions.class, c -> new CsvSink());
    }

    @ProvidesIntoSet
    public ComponentSpec<?, MetricsSink> tensorboard() {
        return ComponentSpec.of(METRICS_SINK, "tensorboard",
                "TensorBoard event files in the run folder: scalars, probe histograms, the run's config as text",
                NoOptions.class, c -> new TensorBoardSink());
    }
}
