package dev.nanolab.api.sweep;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Executes the runs of a sweep: {@code local} (child processes of this one) or {@code slurm} (a job array), chosen by
 * {@code --executor}. An executor's options come through its constructor (a config record, as components get), so the
 * executor holds no state of a sweep: everything it needs to find a sweep again is written into the sweep folder.
 */
public interface SweepExecutor {
    /** The name {@code --executor} selects it by. */
    String name();

    /**
     * Whether the runs execute on this machine and share its cores: the caller then divides the cores among
     * {@link SweepSpec#maxRunning()} runs. Otherwise each run gets CPUs of its own ({@link #cpusPerRun()}).
     */
    default boolean runsHere() {
        return false;
    }

    /**
     * The CPUs the executor's options give each run; 0 where they do not say, and the run's own thread count
     * ({@link SweepSpec#cpusPerRun()}) decides.
     */
    default int cpusPerRun() {
        return 0;
    }

    /** Whether runs go on after this process exits, so that a sweep can be submitted, left, and collected later. */
    default boolean detachable() {
        return false;
    }

    /** Starts (or queues) every run of the sweep and returns at once; {@code log} gets its progress lines. */
    Sweep submit(SweepSpec sweep, PrintStream log) throws IOException, InterruptedException;

    /**
     * The sweep this executor submitted into {@code sweep.folder()} earlier, possibly from another process, to look at
     * or collect. Fails with a one-line message where there is none.
     */
    Sweep attach(SweepSpec sweep, PrintStream log) throws IOException, InterruptedException;
}
