package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.Cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.launcher.Main;
import dev.nanolab.launcher.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare's executor options and --collect: what a mistake looks like (one line naming the value and the reason). */
class ExecutorOptionsTest {
    @TempDir
    Path dir;

    private void oneLineError(Cli.Result r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err().strip()).isEqualTo("nanolab: " + message);
    }

    @Test
    void slurmOptionsNeedTheSlurmExecutorAndValidValues() throws Exception {
        oneLineError(Cli.run("compare", "--vary", "model.attention=softmax,softmax1", "--partition", "gpu"),
                "--partition is an option of --executor slurm, and the executor is local");
        oneLineError(Cli.run("compare", "--vary", "model.attention=softmax,softmax1", "--executor", "pbs"), "unknown executor 'pbs'; known: local, slurm");
        Cli.Result cpus = Cli.run("compare", "--vary", "model.attention=softmax,softmax1", "--executor", "slurm", "--cpus-per-run", "-2");
        assertThat(cpus.code()).isEqualTo(Main.USER_ERROR);
        assertThat(cpus.err().strip()).startsWith("nanolab: executor slurm: cpus_per_run: -2").doesNotContain("\n");
        oneLineError(Cli.run("compare", "--vary", "model.attention=softmax", "--retry", "-1"), "--retry must be 0 or more, got -1");
        oneLineError(Cli.run("compare"), "compare needs --vary KEY=V1,V2,... (or --collect DIR for a sweep submitted earlier)");
        // The executor from the config's key, with a typo in one of its options.
        Path cfg = Files.writeString(dir.resolve("c.yaml"), "executor: {name: slurm, partiton: gpu}\n");
        Cli.Result typo = Cli.run("compare", "--config", cfg.toString(), "--vary", "model.attention=softmax,softmax1");
        assertThat(typo.err().strip()).startsWith("nanolab: executor slurm: partiton: unknown key; did you mean partition?");
    }

    @Test
    void collectNeedsASweepFolderAndTakesNoPlan() {
        Path none = dir.resolve("nothing");
        oneLineError(Cli.run("compare", "--collect", none.toString()),
                "--collect " + none + ": no sweep.json there (compare writes it into its --out folder when it starts the runs)");
        oneLineError(Cli.run("compare", "--collect", none.toString(), "--vary", "a=b"),
                "--collect reads the sweep's plan from " + none.resolve("sweep.json") + "; it takes no --vary, --preset, --config or --set");
        oneLineError(Cli.run("compare", "--collect", none.toString(), "--executor", "slurm"),
                "--collect reads the executor from " + none.resolve("sweep.json") + " and only looks: it takes no --executor, --detach or --retry");
    }
}
