package dev.nanolab.api.probe;

/**
 * What a {@link Probe} collects during one evaluation: hooks are attached when it is made, see the evaluation's
 * validation batches, and are removed by {@link #close()}.
 */
public interface Observation extends AutoCloseable {
    /** Writes what was observed. Called once, after the evaluation's batches and before {@link #close()}. */
    void report(ProbeMetrics out);

    /** Removes the hooks. */
    @Override
    default void close() {}
}
