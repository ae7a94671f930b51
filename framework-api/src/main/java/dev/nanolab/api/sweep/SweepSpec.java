package dev.nanolab.api.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a sweep runs.
 *
 * @param folder     the sweep folder (every run folder is inside it); an executor keeps its own records there
 * @param nanolab    the command that starts nanolab with the global options every run repeats, e.g.
 *                   {@code [/opt/nanolab/bin/nanolab, --plugin-path, /x]}
 * @param runs       the runs, in the order the report lists them; their folders are distinct
 * @param maxRunning runs at a time at most; 0 = no limit of the sweep's own (the executor's, or the cluster's)
 * @param cpusPerRun the CPUs each run uses (the cpu backend's thread count), 0 where it is not known
 */
public record SweepSpec(Path folder, List<String> nanolab, List<RunSpec> runs, int maxRunning, int cpusPerRun) {
    public SweepSpec {
        if (folder == null) throw new IllegalArgumentException("a sweep needs a folder");
        nanolab = List.copyOf(nanolab);
        runs = List.copyOf(runs);
        if (nanolab.isEmpty()) throw new IllegalArgumentException("a sweep needs the nanolab command to start");
        if (runs.isEmpty()) throw new IllegalArgumentException("sweep " + folder + " has no runs");
        if (cpusPerRun < 0) throw new IllegalArgumentException("cpusPerRun must be 0 (not known) or more, got " + cpusPerRun);
        if (maxRunning < 0) throw new IllegalArgumentException("maxRunning must be 0 (no limit) or more, got " + maxRunning);
        Set<Path> dirs = new HashSet<>();
        for (RunSpec r : runs)
            if (!dirs.add(r.dir())) throw new IllegalArgumentException("two runs of sweep " + folder + " share the folder " + r.dir());
    }

    /**
     * The command line of one run: {@code nanolab ... train --config FILE}, with {@code --resume} to continue from the
     * run folder's last checkpoint.
     */
    public List<String> trainCommand(RunSpec run, boolean resume) {
        List<String> cmd = new ArrayList<>(nanolab);
        cmd.addAll(List.of("train", "--config", run.config().toString()));
        if (resume) cmd.add("--resume");
        return cmd;
    }
}
