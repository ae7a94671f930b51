/**
 * Metrics sinks: where a run's records go. The trainer opens one {@link dev.nanolab.api.metrics.MetricsWriter} per
 * configured {@link dev.nanolab.api.metrics.MetricsSink} (the run config's {@code metrics: [jsonl, tensorboard]}) and
 * hands each the same {@link dev.nanolab.api.metrics.MetricsRecord}s: "train" every log interval, "eval" and "probe"
 * at each evaluation. A sink that sends records elsewhere (W&amp;B, MLflow, a database) is a plugin like any other:
 * a {@code @ProvidesIntoSet} method returning a {@code ComponentSpec} of kind
 * {@link dev.nanolab.api.plugin.ComponentKind#METRICS_SINK}.
 */
package dev.nanolab.api.metrics;
