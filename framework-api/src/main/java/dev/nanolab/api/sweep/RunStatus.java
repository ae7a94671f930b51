package dev.nanolab.api.sweep;

/**
 * A run's state with a message: for a failed run what failed and the end of its log, for a queued one why it waits
 * (e.g. the scheduler's reason); empty when there is nothing to say.
 */
public record RunStatus(RunSpec run, RunState state, String message) {
    public RunStatus {
        if (run == null || state == null) throw new IllegalArgumentException("a run status needs its run and its state");
        message = message == null ? "" : message;
    }
}
