package dev.nanolab.training.train;

/** Training stopped on a problem the user must look at (a NaN loss, a checkpoint that cannot be written). */
public final class TrainingStoppedException extends RuntimeException {
    public TrainingStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
