package dev.nanolab.api.metrics;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a run's metrics go: a component of kind {@link dev.nanolab.api.plugin.ComponentKind#METRICS_SINK}, created
 * from its config once per run and opened once per training session (a fresh start or a resume).
 */
@FunctionalInterface
public interface MetricsSink {
    /**
     * Opens a writer for one training session of a run.
     *
     * @param runDir        the run folder (exists); a file sink writes there
     * @param run           what the run is: name, host, versions, config, start time
     * @param fromIteration 0 for a fresh run; when resuming, the iteration the run resumes at: records this sink kept
     *                      from iterations at or after it are computed again, so a sink that can should drop them
     * @throws IOException when the sink cannot be opened; the trainer stops with the message
     */
    MetricsWriter open(Path runDir, RunInfo run, long fromIteration) throws IOException;
}
