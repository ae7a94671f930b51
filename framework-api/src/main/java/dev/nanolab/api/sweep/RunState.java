package dev.nanolab.api.sweep;

/** Where a run of a sweep stands. */
public enum RunState {
    /** Waiting to start (or waiting to start again, after a requeue). */
    QUEUED,
    RUNNING,
    /** Finished with exit status 0. */
    DONE,
    /** Finished otherwise: a non-zero exit, a kill, a time limit, a lost node; the status's message says which. */
    FAILED;

    public boolean finished() {
        return this == DONE || this == FAILED;
    }

    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
