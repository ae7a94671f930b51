package dev.nanolab.launcher.sweep.slurm;

import dev.nanolab.api.sweep.RunSpec;
import dev.nanolab.api.sweep.Sweep;
import dev.nanolab.api.sweep.SweepExecutor;
import dev.nanolab.api.sweep.SweepSpec;
import dev.nanolab.launcher.NanolabException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code slurm} executor: one job array per sweep, one array task per run, each running {@code nanolab train} with
 * the run's config into its folder. The sweep folder, the run configs and the nanolab distribution must be on a
 * filesystem that every node mounts at the same path: the tasks read and write there, and so does this process.
 *
 * <p>Tasks are submitted with {@code --requeue}: a task that Slurm preempts, requeues or restarts runs its batch script
 * again, which resumes from the run's last checkpoint ({@code nanolab train --resume}), so the run's numbers are those
 * of an uninterrupted run. What the executor keeps, in {@code FOLDER/slurm/}: the batch script ({@code sweep.sh}),
 * the job ids with the array indices each one ran ({@code jobs.tsv}), and each task's own Slurm output
 * ({@code task-INDEX.out}); every run's output goes to {@code RUN/train.log} as with the local executor, and its
 * exit status to {@code RUN/slurm-exit}.
 */
public final class SlurmExecutor implements SweepExecutor {
    static final String SCRIPT = "sweep.sh", JOBS = "jobs.tsv", EXIT = "slurm-exit";
    private final SlurmConfig config;

    public SlurmExecutor(SlurmConfig config) {
        this.config = config;
    }

    public SlurmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public boolean detachable() {
        return true;
    }

    @Override
    public int cpusPerRun() {
        return config.cpusPerRun();
    }

    @Override
    public Sweep submit(SweepSpec sweep, PrintStream log) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(sweep.folder().resolve("slurm"));
        for (RunSpec r : sweep.runs()) {
            // A fresh sweep: nothing of an earlier one in the same folder may be resumed or read as this one's.
            Files.createDirectories(r.dir());
            for (String f : List.of("last.safetensors", EXIT, "train.log")) Files.deleteIfExists(r.dir().resolve(f));
        }
        Files.deleteIfExists(dir.resolve(JOBS));
        Path script = dir.resolve(SCRIPT);
        Files.writeString(script, script(sweep, config), StandardCharsets.UTF_8);
        SlurmSweep s = new SlurmSweep(sweep, config, dir, log);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < sweep.runs().size(); i++) all.add(i);
        String job = s.sbatch(all);
        log.printf("slurm: submitted job array %s, %d task(s)%s, script %s%n", job, all.size(),
                sweep.maxRunning() > 0 ? ", at most " + sweep.maxRunning() + " at a time" : "", script);
        return s;
    }

    @Override
    public Sweep attach(SweepSpec sweep, PrintStream log) throws IOException {
        Path dir = sweep.folder().resolve("slurm");
        if (!Files.isRegularFile(dir.resolve(JOBS)))
            throw new NanolabException("no Slurm sweep in " + sweep.folder() + ": " + dir.resolve(JOBS) + " does not exist (was it submitted with --executor slurm?)");
        return SlurmSweep.read(sweep, config, dir, log);
    }

    /** The sbatch options of every submission of this sweep (the array and its limit come on top). */
    static List<String> sbatchOptions(SweepSpec sweep, SlurmConfig c, Path dir) {
        List<String> o = new ArrayList<>();
        String name = sweep.folder().toAbsolutePath().normalize().getFileName() == null ? "sweep" : sweep.folder().toAbsolutePath().normalize().getFileName().toString();
        o.add("--job-name=nanolab-" + name);
        o.add("--requeue");
        o.add("--open-mode=append");
        o.add("--output=" + dir.toAbsolutePath().resolve("task-%a.out").toString().replace("%a", "\u0000").replace("%", "%%").replace("\u0000", "%a"));
        o.add("--chdir=" + Path.of("").toAbsolutePath());
        o.add("--ntasks=1");
        o.add("--cpus-per-task=" + (c.cpusPerRun() > 0 ? c.cpusPerRun() : Math.max(1, sweep.cpusPerRun())));
        if (!c.partition().isEmpty()) o.add("--partition=" + c.partition());
        if (!c.account().isEmpty()) o.add("--account=" + c.account());
        if (!c.time().isEmpty()) o.add("--time=" + c.time());
        if (!c.memPerRun().isEmpty()) o.add("--mem=" + c.memPerRun());
        if (c.gpusPerRun() > 0) o.add("--gres=gpu:" + c.gpusPerRun());
        return o;
    }

    /**
     * The batch script: the user's extra {@code #SBATCH} lines, then one case per array index that runs that run's
     * {@code nanolab train}, with {@code --resume} when its folder holds a checkpoint (a requeue or a retry).
     */
    static String script(SweepSpec sweep, SlurmConfig c) {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        sb.append("# nanolab sweep ").append(sweep.folder().toAbsolutePath().normalize()).append(": ").append(sweep.runs().size())
                .append(" run(s), one array task each. Written by nanolab compare --executor slurm; sbatch options are on its command line.\n");
        for (String line : c.sbatch()) {
            String l = line.strip();
            sb.append(l.startsWith("#SBATCH") ? l : "#SBATCH " + l).append('\n');
        }
        sb.append("""
                set -u
                case "${SLURM_ARRAY_TASK_ID:?nanolab: this script runs as a Slurm array task}" in
                """);
        for (int i = 0; i < sweep.runs().size(); i++) {
            RunSpec r = sweep.runs().get(i);
            sb.append("  ").append(i).append(") dir=").append(quote(r.dir().toAbsolutePath().toString()))
                    .append(" cfg=").append(quote(r.config().toAbsolutePath().toString())).append(" ;;\n");
        }
        sb.append("""
                  *) echo "nanolab: array task $SLURM_ARRAY_TASK_ID is not a run of this sweep" >&2; exit 2 ;;
                esac
                rm -f "$dir/slurm-exit"
                resume=""
                [ -f "$dir/last.safetensors" ] && resume="--resume"
                echo "nanolab: Slurm job ${SLURM_JOB_ID} (task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}, restart ${SLURM_RESTART_COUNT:-0}) on $(hostname)${resume:+, resuming from the last checkpoint}" >> "$dir/train.log"
                """);
        List<String> cmd = sweep.nanolab();
        for (String a : cmd) sb.append(quote(a)).append(' ');
        sb.append("""
                train --config "$cfg" $resume >> "$dir/train.log" 2>&1
                code=$?
                echo "$code" > "$dir/slurm-exit"
                exit "$code"
                """);
        return sb.toString();
    }

    /** A word for sh, in single quotes. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
