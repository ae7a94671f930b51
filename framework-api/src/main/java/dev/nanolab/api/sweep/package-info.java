/**
 * Sweeps: how the runs of {@code nanolab compare} and {@code nanolab run} are executed. A
 * {@link dev.nanolab.api.sweep.SweepExecutor} takes a {@link dev.nanolab.api.sweep.SweepSpec} (the sweep folder, the
 * {@code nanolab} command to start, and one {@link dev.nanolab.api.sweep.RunSpec} per (variant, seed): a name, the
 * resolved config file, the run folder) and returns a {@link dev.nanolab.api.sweep.Sweep}, whose
 * {@link dev.nanolab.api.sweep.RunStatus}es say which runs are queued, running, done or failed (with a message). The
 * launcher ships {@code local} (child processes on this machine) and {@code slurm} (one job array per sweep).
 *
 * <p>Every run trains with {@code nanolab train --config FILE} into its folder; where an executor restarts a run
 * (preemption, a requeue, a retry) it adds {@code --resume} when the folder holds a checkpoint
 * ({@link dev.nanolab.api.sweep.SweepSpec#trainCommand}), and the resumed run repeats the uninterrupted one exactly.
 */
package dev.nanolab.api.sweep;
