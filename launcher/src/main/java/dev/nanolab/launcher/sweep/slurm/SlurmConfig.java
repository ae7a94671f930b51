package dev.nanolab.launcher.sweep.slurm;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import java.util.List;

/**
 * The {@code slurm} executor's options: {@code --partition} etc. on the command line, or keys of an {@code executor}
 * map in the config ({@code executor: {name: slurm, partition: gpu, cpus_per_run: 4}}). Empty strings and zeros leave
 * the choice to the cluster.
 */
public record SlurmConfig(
        @Doc("sbatch --partition; empty: the cluster's default partition") String partition,
        @Doc("sbatch --account; empty: the user's default account") String account,
        @Doc("sbatch --time, the time limit of each run, e.g. 2:00:00 or 1-00:00:00; empty: the partition's") String time,
        @Doc("sbatch --cpus-per-task; 0: the run's cpu backend thread count (1 when that is 0 or another backend)") @Range(min = 0) int cpusPerRun,
        @Doc("sbatch --mem, the memory of each run, e.g. 8G; empty: the cluster's default") String memPerRun,
        @Doc("GPUs of each run (sbatch --gres=gpu:N), e.g. for the TornadoVM backend; 0: none") @Range(min = 0) int gpusPerRun,
        @Doc("extra lines for the batch script's header, e.g. '--qos=long' or '#SBATCH --constraint=avx512'") List<String> sbatch,
        @Doc("seconds between two looks at squeue while waiting") @Range(min = 0.1, max = 3600) double pollSeconds) {

    public SlurmConfig {
        partition = partition == null ? "" : partition.strip();
        account = account == null ? "" : account.strip();
        time = time == null ? "" : time.strip();
        memPerRun = memPerRun == null ? "" : memPerRun.strip();
        sbatch = sbatch == null ? List.of() : List.copyOf(sbatch);
        for (String line : sbatch)
            if (line.contains("\n")) throw new IllegalArgumentException("sbatch: one line per entry, got '" + line.replace("\n", "\\n") + "'");
    }

    public SlurmConfig() {
        this("", "", "", 0, "", 0, List.of(), 5);
    }
}
