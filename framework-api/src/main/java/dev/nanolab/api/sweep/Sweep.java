package dev.nanolab.api.sweep;

import java.io.IOException;
import java.util.List;

/** A submitted sweep: its runs' states, waiting for them, cancelling them, running failed ones again. */
public interface Sweep {
    /** Says where the sweep runs, for people: {@code "local"}, {@code "Slurm job 4242"}. */
    String id();

    /** Every run's state now, in the spec's order; does not wait. */
    List<RunStatus> status() throws IOException, InterruptedException;

    /**
     * Waits until every run has finished, showing progress on the executor's log, and returns the final states in the
     * spec's order. An interrupt (or the JVM shutting down, e.g. on Ctrl-C) cancels the runs that have not finished.
     */
    List<RunStatus> await() throws IOException, InterruptedException;

    /** Stops every run that has not finished; those are reported failed. */
    void cancel() throws IOException, InterruptedException;

    /**
     * Starts these runs of the sweep again (after {@link #await}: the failed ones, for {@code --retry}); each resumes from
     * its last checkpoint where the executor can, and is queued again until it starts.
     */
    void resubmit(List<RunSpec> runs) throws IOException, InterruptedException;
}
