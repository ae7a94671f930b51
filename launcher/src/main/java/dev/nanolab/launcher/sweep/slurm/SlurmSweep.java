package dev.nanolab.launcher.sweep.slurm;

import dev.nanolab.api.sweep.RunSpec;
import dev.nanolab.api.sweep.RunState;
import dev.nanolab.api.sweep.RunStatus;
import dev.nanolab.api.sweep.Sweep;
import dev.nanolab.api.sweep.SweepSpec;
import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.sweep.Logs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A sweep submitted as Slurm job arrays: the first array has every run, each {@code --retry} one more with the runs
 * that failed. A run's state is its newest task's: from {@code squeue --states=all} (which keeps finished jobs for
 * the cluster's MinJobAge), else from {@code sacct} where the cluster keeps accounting, else from the exit status the
 * task wrote into its run folder.
 */
final class SlurmSweep implements Sweep {
    /** What Slurm said of one array task. */
    record Task(String state, String reason) {}

    private final SweepSpec spec;
    private final SlurmConfig config;
    private final Path dir;
    private final PrintStream out;
    /** Per run index, the job array that ran it last. */
    private final Map<Integer, String> jobOf = new HashMap<>();
    private final Set<String> jobs = new LinkedHashSet<>();
    /** What {@link #await} last showed of each run, so that a second wait (after a retry) shows only changes. */
    private final Map<Integer, RunState> seen = new HashMap<>();

    SlurmSweep(SweepSpec spec, SlurmConfig config, Path dir, PrintStream out) {
        this.spec = spec;
        this.config = config;
        this.dir = dir;
        this.out = out;
    }

    static SlurmSweep read(SweepSpec spec, SlurmConfig config, Path dir, PrintStream out) throws IOException {
        SlurmSweep s = new SlurmSweep(spec, config, dir, out);
        for (String line : Files.readAllLines(dir.resolve(SlurmExecutor.JOBS), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length < 2) throw new NanolabException(dir.resolve(SlurmExecutor.JOBS) + ": line '" + line + "' is not JOBID<tab>INDICES");
            s.note(f[0], parseIndices(f[1], dir));
        }
        return s;
    }

    private static List<Integer> parseIndices(String text, Path dir) {
        try {
            List<Integer> out = new ArrayList<>();
            for (String s : text.split(",")) out.add(Integer.parseInt(s.strip()));
            return out;
        } catch (NumberFormatException e) {
            throw new NanolabException(dir.resolve(SlurmExecutor.JOBS) + ": '" + text + "' is not a list of array indices");
        }
    }

    private void note(String job, List<Integer> indices) {
        jobs.add(job);
        for (int i : indices) jobOf.put(i, job);
    }

    /** Submits one job array over these run indices; records and returns its id. */
    String sbatch(List<Integer> indices) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        cmd.addAll(SlurmExecutor.sbatchOptions(spec, config, dir));
        String array = indices.stream().map(String::valueOf).collect(Collectors.joining(","));
        cmd.add("--array=" + array + (spec.maxRunning() > 0 ? "%" + spec.maxRunning() : ""));
        cmd.add(dir.resolve(SlurmExecutor.SCRIPT).toAbsolutePath().toString());
        Commands.Output o = Commands.run(cmd);
        String id = o.out().strip().split(";")[0];
        if (!o.ok() || !id.matches("\\d+"))
            throw new NanolabException("sbatch refused the sweep's job array: " + o.why() + " (" + String.join(" ", cmd) + ")");
        Files.writeString(dir.resolve(SlurmExecutor.JOBS), id + "\t" + array + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        note(id, indices);
        return id;
    }

    @Override
    public String id() {
        return "Slurm job" + (jobs.size() > 1 ? "s " : " ") + String.join(", ", jobs);
    }

    @Override
    public List<RunStatus> status() throws IOException, InterruptedException {
        Map<String, Task> known = squeue();
        List<RunStatus> out = new ArrayList<>();
        for (int i = 0; i < spec.runs().size(); i++) {
            RunSpec r = spec.runs().get(i);
            String job = jobOf.get(i);
            if (job == null) {
                out.add(new RunStatus(r, RunState.FAILED, "never submitted (not in " + dir.resolve(SlurmExecutor.JOBS) + ")"));
                continue;
            }
            String task = job + "_" + i;
            Task t = known.get(task);
            if (t == null) t = sacct(task);
            out.add(t != null ? status(r, task, t) : fromExitFile(r, task));
        }
        return out;
    }

    /** Every task of this sweep's arrays that squeue still knows, by JOB_INDEX. */
    private Map<String, Task> squeue() throws IOException, InterruptedException {
        Map<String, Task> out = new HashMap<>();
        if (jobs.isEmpty()) return out;
        Commands.Output o = squeue(String.join(",", jobs));
        if (o.ok()) {
            parse(o.out(), out);
            return out;
        }
        // One purged job id fails the whole query: ask for each. If none answers, and not because Slurm forgot the
        // jobs, the controller is unreachable: that says nothing about the runs.
        boolean answered = false;
        String why = o.why();
        for (String j : jobs) {
            Commands.Output one = squeue(j);
            if (one.ok()) {
                parse(one.out(), out);
                answered = true;
            } else why = one.why();
        }
        if (!answered && !why.contains("Invalid job id")) throw new IOException("squeue failed: " + why);
        return out;
    }

    private static Commands.Output squeue(String jobs) throws IOException, InterruptedException {
        return Commands.run(List.of("squeue", "--noheader", "--array", "--states=all", "--jobs=" + jobs, "--format=%F|%K|%T|%r"));
    }

    private static void parse(String text, Map<String, Task> into) {
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length == 4 && f[1].matches("\\d+")) into.put(f[0] + "_" + f[1], new Task(f[2], f[3]));
        }
    }

    /** sacct's word on a task squeue no longer lists, or null where the cluster keeps no accounting. */
    private static Task sacct(String task) throws IOException, InterruptedException {
        Commands.Output o = Commands.run(List.of("sacct", "--noheader", "--parsable2", "--allocations", "--jobs=" + task, "--format=State"));
        if (!o.ok()) return null;
        String state = o.out().strip().lines().findFirst().orElse("").split(" ")[0];
        return state.isEmpty() ? null : new Task(state, "");
    }

    private RunStatus status(RunSpec r, String task, Task t) {
        return switch (t.state()) {
            case "PENDING", "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESV_DEL_HOLD", "CONFIGURING", "SUSPENDED", "STOPPED" ->
                    new RunStatus(r, RunState.QUEUED, t.state().equals("PENDING") ? t.reason() : t.state().toLowerCase(Locale.ROOT));
            case "RUNNING", "COMPLETING", "SIGNALING", "STAGE_OUT", "RESIZING", "UPDATE_DB", "POWER_UP_NODE" ->
                    new RunStatus(r, RunState.RUNNING, "");
            case "COMPLETED" -> new RunStatus(r, RunState.DONE, "");
            default -> failed(r, task, t.state());
        };
    }

    private RunStatus fromExitFile(RunSpec r, String task) {
        Path exit = r.dir().resolve(SlurmExecutor.EXIT);
        String code = exitCode(r);
        if (code == null)
            return new RunStatus(r, RunState.FAILED, "Slurm no longer knows task " + task + " (squeue; no accounting for sacct) and it wrote no "
                    + exit + ": see " + dir.resolve("task-" + task.substring(task.indexOf('_') + 1) + ".out") + "\n" + Logs.tail(r.log(), 5));
        return code.equals("0") ? new RunStatus(r, RunState.DONE, "") : failed(r, task, "FAILED");
    }

    private static String exitCode(RunSpec r) {
        try {
            String s = Files.readString(r.dir().resolve(SlurmExecutor.EXIT), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            return null;
        }
    }

    private RunStatus failed(RunSpec r, String task, String state) {
        String code = exitCode(r);
        return new RunStatus(r, RunState.FAILED, "Slurm state " + state + " (task " + task + (code != null ? ", exit " + code : "") + "): "
                + Logs.tail(r.log(), 5));
    }

    @Override
    public List<RunStatus> await() throws IOException, InterruptedException {
        Thread hook = new Thread(() -> {
            out.println("nanolab: interrupted: cancelling " + id() + " (scancel)");
            try {
                cancel();
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("nanolab: scancel " + String.join(" ", jobs) + " failed: " + e.getMessage());
            }
        }, "slurm-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean finished = false;
        try {
            Map<RunState, Integer> last = null;
            int total = spec.runs().size();
            long failingSince = 0;
            while (true) {
                List<RunStatus> st;
                try {
                    st = status();
                    failingSince = 0;
                } catch (IOException e) {
                    // The controller may be restarting: keep asking for a while before giving up.
                    if (failingSince == 0) {
                        failingSince = System.nanoTime();
                        out.printf("slurm: %s; asking again every %s s for up to 10 minutes%n", e.getMessage(), config.pollSeconds());
                    } else if (System.nanoTime() - failingSince > java.util.concurrent.TimeUnit.MINUTES.toNanos(10)) throw e;
                    Thread.sleep((long) (config.pollSeconds() * 1000));
                    continue;
                }
                Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
                for (RunState s : RunState.values()) counts.put(s, 0);
                for (RunStatus s : st) counts.merge(s.state(), 1, Integer::sum);
                int shown = (int) seen.values().stream().filter(RunState::finished).count();
                for (int i = 0; i < st.size(); i++) {
                    RunStatus s = st.get(i);
                    RunState before = seen.put(i, s.state());
                    if (before == s.state()) continue;
                    if (before != null && before.finished()) shown--; // requeued after it had ended
                    if (!s.state().finished()) continue;
                    shown++;
                    if (s.state() == RunState.DONE) out.printf("  [%d/%d] %s: done%n", shown, total, s.run().name());
                    else out.printf("  [%d/%d] %s: FAILED: %s%n", shown, total, s.run().name(), headline(s.message()));
                }
                if (!counts.equals(last)) {
                    out.printf("slurm job %s: %d queued, %d running, %d done, %d failed%n", String.join(",", jobs), counts.get(RunState.QUEUED),
                            counts.get(RunState.RUNNING), counts.get(RunState.DONE), counts.get(RunState.FAILED));
                    last = counts;
                }
                if (st.stream().allMatch(s -> s.state().finished())) {
                    finished = true;
                    return st;
                }
                Thread.sleep((long) (config.pollSeconds() * 1000));
            }
        } catch (InterruptedException e) {
            cancel();
            finished = true;
            throw e;
        } finally {
            if (finished) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs
                }
            }
        }
    }

    /** A failure message in one line: what Slurm said, and the log's last line. */
    static String headline(String message) {
        int cut = message.indexOf("): ");
        String head = cut < 0 ? message.lines().findFirst().orElse("") : message.substring(0, cut + 1);
        String last = message.strip().lines().reduce((a, b) -> b).orElse("");
        return cut < 0 || head.equals(last) ? head : head + ": " + last;
    }

    @Override
    public void cancel() throws IOException, InterruptedException {
        if (jobs.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("scancel"));
        cmd.addAll(jobs);
        Commands.Output o = Commands.run(cmd);
        if (!o.ok()) throw new IOException("scancel " + String.join(" ", jobs) + ": " + o.why());
    }

    @Override
    public void resubmit(List<RunSpec> runs) throws IOException, InterruptedException {
        List<Integer> indices = new ArrayList<>();
        for (RunSpec r : runs) {
            int i = spec.runs().indexOf(r);
            if (i < 0) throw new IllegalArgumentException("run " + r.name() + " is not in sweep " + spec.folder());
            Files.deleteIfExists(r.dir().resolve(SlurmExecutor.EXIT));
            indices.add(i);
        }
        String job = sbatch(indices);
        out.printf("slurm: resubmitted %d run(s) as job array %s (each resumes from its last checkpoint, if it has one)%n", indices.size(), job);
    }

    /** For tests and messages: the newest job of each run index. */
    Map<Integer, String> jobs() {
        return new TreeMap<>(jobOf);
    }
}
