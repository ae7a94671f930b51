package dev.nanolab.launcher.sweep.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.sweep.RunSpec;
import dev.nanolab.api.sweep.SweepExecutor;
import dev.nanolab.api.sweep.SweepSpec;
import dev.nanolab.launcher.sweep.LocalExecutor;
import dev.nanolab.launcher.sweep.SweepExecutors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing an executor by name with its options, and what the slurm executor hands to sbatch (no cluster needed). */
class SlurmExecutorTest {
    static final ComponentRegistry NONE = ComponentRegistry.of(dev.nanolab.api.plugin.ComponentKind.builtIn(), List.of());

    @TempDir
    Path dir;

    SweepSpec sweep(int maxRunning, int cpus) {
        Path f = dir.resolve("it's a sweep");
        return new SweepSpec(f, List.of("/opt/nano lab/bin/nanolab", "--plugin-path", "/p"),
                List.of(new RunSpec("softmax, seed 1", f.resolve("softmax/seed-1/compare-config.yaml"), f.resolve("softmax/seed-1")),
                        new RunSpec("softmax1, seed 1", f.resolve("softmax1/seed-1/compare-config.yaml"), f.resolve("softmax1/seed-1"))),
                maxRunning, cpus);
    }

    @Test
    void executorsAreChosenByNameWithTheirOptionsBoundLikeComponentConfigs() {
        assertThat(SweepExecutors.names()).containsExactly("local", "slurm");
        assertThat(SweepExecutors.create(NONE, null)).isInstanceOf(LocalExecutor.class);
        SweepExecutor local = SweepExecutors.create(NONE, TextNode.valueOf("local"));
        assertThat(local.runsHere()).isTrue();
        assertThat(local.detachable()).isFalse();
        var node = JsonNodeFactory.instance.objectNode().put("name", "slurm").put("partition", "gpu").put("cpus_per_run", 4).put("poll_seconds", 1);
        node.putArray("sbatch").add("--qos=long");
        SlurmExecutor slurm = (SlurmExecutor) SweepExecutors.create(NONE, node);
        assertThat(slurm.runsHere()).isFalse();
        assertThat(slurm.detachable()).isTrue();
        assertThat(slurm.cpusPerRun()).isEqualTo(4);
        assertThat(slurm.config()).isEqualTo(new SlurmConfig("gpu", "", "", 4, "", 0, List.of("--qos=long"), 1));

        assertThatThrownBy(() -> SweepExecutors.create(NONE, TextNode.valueOf("slurn")))
                .hasMessage("unknown executor 'slurn'; known: local, slurm");
        assertThatThrownBy(() -> SweepExecutors.create(NONE, JsonNodeFactory.instance.objectNode().put("name", "slurm").put("cpus_per_run", -1)))
                .hasMessageStartingWith("executor slurm: cpus_per_run").hasMessageContaining("-1");
        assertThatThrownBy(() -> SweepExecutors.create(NONE, JsonNodeFactory.instance.objectNode().put("name", "slurm").put("partiton", "x")))
                .hasMessageContaining("partiton").hasMessageContaining("did you mean partition?");
        assertThatThrownBy(() -> SweepExecutors.create(NONE, JsonNodeFactory.instance.objectNode().put("name", "local").put("partition", "x")))
                .hasMessageStartingWith("executor local: partition");
    }

    @Test
    void sbatchGetsTheOptionsAndEveryRunIsOneArrayIndexThatResumesFromItsCheckpoint() throws Exception {
        SweepSpec s = sweep(3, 2);
        SlurmConfig c = new SlurmConfig("gpu", "lab", "2:00:00", 0, "8G", 1, List.of("--qos=long", "#SBATCH --constraint=avx512"), 5);
        List<String> o = SlurmExecutor.sbatchOptions(s, c, s.folder().resolve("slurm"));
        assertThat(o).contains("--requeue", "--partition=gpu", "--account=lab", "--time=2:00:00", "--mem=8G", "--gres=gpu:1",
                "--cpus-per-task=2", "--job-name=nanolab-it's a sweep", "--chdir=" + Path.of("").toAbsolutePath());
        assertThat(o).anyMatch(x -> x.startsWith("--output=") && x.endsWith("/slurm/task-%a.out"));
        // Zeros and empty strings leave the choice to the cluster; the run's thread count gives the CPUs.
        assertThat(SlurmExecutor.sbatchOptions(s, new SlurmConfig(), dir)).noneMatch(x -> x.startsWith("--partition") || x.startsWith("--mem")
                || x.startsWith("--gres") || x.startsWith("--time") || x.startsWith("--account")).contains("--cpus-per-task=2");
        assertThat(SlurmExecutor.sbatchOptions(sweep(0, 0), new SlurmConfig(), dir)).contains("--cpus-per-task=1");
        assertThat(SlurmExecutor.sbatchOptions(s, new SlurmConfig("", "", "", 6, "", 0, List.of(), 5), dir)).contains("--cpus-per-task=6");

        String script = SlurmExecutor.script(s, c);
        assertThat(script).startsWith("#!/bin/sh\n").contains("#SBATCH --qos=long\n", "#SBATCH --constraint=avx512\n")
                .contains("  0) dir='" + dir + "/it'\\''s a sweep/softmax/seed-1' cfg='" + dir + "/it'\\''s a sweep/softmax/seed-1/compare-config.yaml' ;;")
                .contains("  1) dir='" + dir + "/it'\\''s a sweep/softmax1/seed-1'")
                .contains("[ -f \"$dir/last.safetensors\" ] && resume=\"--resume\"")
                .contains("'/opt/nano lab/bin/nanolab' '--plugin-path' '/p' train --config \"$cfg\" $resume >> \"$dir/train.log\" 2>&1")
                .contains("echo \"$code\" > \"$dir/slurm-exit\"");
        // The script is valid sh, and a task outside the sweep says so.
        Path f = Files.writeString(dir.resolve("sweep.sh"), script);
        Process p = new ProcessBuilder("sh", "-n", f.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        ProcessBuilder bad = new ProcessBuilder("sh", f.toString()).redirectErrorStream(true);
        bad.environment().put("SLURM_ARRAY_TASK_ID", "7");
        Process q = bad.start();
        assertThat(q.waitFor()).isEqualTo(2);
        assertThat(new String(q.getInputStream().readAllBytes())).contains("array task 7 is not a run of this sweep");
    }

    @Test
    void aFailureHeadlineIsTheSlurmStateAndTheLastLineOfTheLog() {
        assertThat(SlurmSweep.headline("Slurm state TIMEOUT (task 4_1, exit 143): step 9\nnanolab: killed"))
                .isEqualTo("Slurm state TIMEOUT (task 4_1, exit 143): nanolab: killed");
        assertThat(SlurmSweep.headline("never submitted")).isEqualTo("never submitted");
    }

    @Test
    void sbatchLinesAreOneLineEach() {
        assertThatThrownBy(() -> new SlurmConfig("", "", "", 0, "", 0, List.of("--a\n--b"), 5)).hasMessageContaining("one line per entry");
    }
}
