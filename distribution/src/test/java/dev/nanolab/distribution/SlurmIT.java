package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurm executor against a real cluster: the one-node cluster that .ci/slurm-up starts on localhost (slurmctld +
 * slurmd + munge). Where no cluster answers, a developer's build skips these tests; under CI=true that is a failure.
 * Runs are tiny (one thread each), so the cluster's two CPUs run two at a time.
 */
class SlurmIT {
    @TempDir
    Path dir;

    /** Why the cluster cannot be used, or null when it answers; asked once. */
    static String noCluster;

    @BeforeAll
    static void askTheCluster() throws Exception {
        try {
            Process p = new ProcessBuilder("scontrol", "ping").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.contains("is UP")) noCluster = "scontrol ping: " + out.strip();
        } catch (java.io.IOException e) {
            noCluster = "Slurm's scontrol is not installed (" + e.getMessage() + ")";
        }
    }

    /** Each test is skipped, visibly and with the reason, where no cluster answers; under CI=true it fails instead. */
    @BeforeEach
    void aClusterAnswers() {
        if (noCluster != null && "true".equals(System.getenv("CI")))
            throw new AssertionError("CI=true and no Slurm cluster answers, so the slurm executor is untested: " + noCluster
                    + " (.ci/run starts one with .ci/slurm-up)");
        Assumptions.assumeTrue(noCluster == null, "no Slurm cluster (start one with .ci/slurm-up): " + noCluster);
    }

    /** The compare of the tests: two attention variants over two seeds, a few steps each. */
    List<String> compare(Path cfg, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("compare", "--config", cfg.toString(), "--vary", "model.attention=softmax,softmax1",
                "--seeds", "2", "--out", out.toString(), "--probes", "kurtosis,max-abs", "--set", "backend.threads=1"));
        a.addAll(List.of(more));
        return a;
    }

    static List<String> withoutColumn(Path csv, String column) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int c = List.of(lines.getFirst().split(",", -1)).indexOf(column);
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            List<String> cells = new ArrayList<>(List.of(l.split(",", -1)));
            if (c >= 0 && c < cells.size()) cells.remove(c);
            out.add(String.join(",", cells));
        }
        return out;
    }

    static Nanolab.Result run(Path workDir, List<String> args) throws Exception {
        return Nanolab.run(workDir, args.toArray(String[]::new));
    }

    @Test
    void aSweepOnTheClusterGivesTheLocalNumbersAndDetachThenCollectGivesTheSameReportAsWaiting() throws Exception {
        Path cfg = Nanolab.tinyConfig(dir, 12, 6);
        Nanolab.Result local = run(dir, compare(cfg, dir.resolve("local"), "--jobs", "2"));
        assertThat(local.code()).as(local.out() + local.err()).isZero();

        Nanolab.Result slurm = run(dir, compare(cfg, dir.resolve("slurm"), "--executor", "slurm", "--poll", "0.5"));
        assertThat(slurm.code()).as(slurm.out() + slurm.err()).isZero();
        assertThat(slurm.out()).contains("executor slurm").containsPattern("slurm: submitted job array \\d+, 4 task\\(s\\)")
                .containsPattern("slurm job \\d+: 0 queued, 0 running, 4 done, 0 failed").contains("softmax1, seed 1338: done");
        // The same numbers: compare.csv whole (means, stds, the paired interval, probe columns), every run's final loss.
        assertThat(Files.readAllLines(dir.resolve("slurm/compare.csv"))).isEqualTo(Files.readAllLines(dir.resolve("local/compare.csv")));
        assertThat(withoutColumn(dir.resolve("slurm/compare-runs.csv"), "dir")).isEqualTo(withoutColumn(dir.resolve("local/compare-runs.csv"), "dir"));
        assertThat(Files.readString(dir.resolve("slurm/softmax1/seed-1338/train.log"))).containsPattern("nanolab: Slurm job \\d+ \\(task \\d+_3, restart 0\\)");

        // --detach returns with the runs queued (held here, by an extra sbatch line, so that they are certainly not done);
        // --collect then reports them as not finished, and once they have run, the same as waiting.
        Path det = dir.resolve("detached");
        Nanolab.Result submitted = run(dir, compare(cfg, det, "--executor", "slurm", "--detach", "--sbatch=--hold"));
        assertThat(submitted.code()).as(submitted.out() + submitted.err()).isZero();
        assertThat(submitted.out()).contains("4 runs submitted").contains("nanolab compare --collect " + det).doesNotContain("done");
        assertThat(Files.readString(det.resolve("slurm/sweep.sh"))).contains("#SBATCH --hold\n");
        Nanolab.Result early = Nanolab.run(dir, "compare", "--collect", det.toString());
        assertThat(early.code()).as(early.out() + early.err()).isEqualTo(1);
        assertThat(early.out()).contains("collect: 4 runs in " + det + ": 0 done, 0 failed, 4 not finished");
        assertThat(early.err()).contains("4 of 4 runs have not finished yet (softmax, seed 1337: queued");
        assertThat(early.err()).doesNotContain("runs failed");
        assertThat(CompareIT.csv(det.resolve("compare-runs.csv")).getFirst().get("error")).contains("not finished: queued");
        sh("scontrol", "release", Files.readString(det.resolve("slurm/jobs.tsv")).split("\t")[0]);
        Nanolab.Result collected = early;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (collected.code() != 0 && System.nanoTime() < deadline) {
            assertThat(collected.err()).as(collected.out() + collected.err()).doesNotContain("failed;").doesNotContain("FAILED");
            Thread.sleep(2000);
            collected = Nanolab.run(dir, "compare", "--collect", det.toString());
        }
        assertThat(collected.code()).as(collected.out() + collected.err()).isZero();
        assertThat(collected.out()).contains("collect: 4 runs in " + det + ": 4 done, 0 failed, 0 not finished");
        assertThat(Files.readAllLines(det.resolve("compare.csv"))).isEqualTo(Files.readAllLines(dir.resolve("slurm/compare.csv")));
        assertThat(withoutColumn(det.resolve("compare-runs.csv"), "dir")).isEqualTo(withoutColumn(dir.resolve("slurm/compare-runs.csv"), "dir"));
        CompareIT.checkHtml(det.resolve("compare.html"));
    }

    @Test
    void aTaskRequeuedMidRunResumesFromItsCheckpointAndRepeatsTheUninterruptedLossCurve() throws Exception {
        Path cfg = Nanolab.tinyConfig(dir, 1000, 100);
        List<String> one = List.of("compare", "--config", cfg.toString(), "--vary", "model.attention=softmax", "--seeds", "1",
                "--probes", "none", "--set", "backend.threads=1");
        List<String> local = new ArrayList<>(one);
        local.addAll(List.of("--out", dir.resolve("whole").toString()));
        Nanolab.Result whole = run(dir, local);
        assertThat(whole.code()).as(whole.out() + whole.err()).isZero();

        Path out = dir.resolve("requeued");
        List<String> slurm = new ArrayList<>(one);
        slurm.addAll(List.of("--out", out.toString(), "--executor", "slurm", "--poll", "0.5"));
        Process p = Nanolab.builder(dir, slurm.toArray(String[]::new))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        Path run = out.resolve("softmax/seed-1337");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && (!Files.exists(run.resolve("metrics.jsonl")) || TrainResumeIT.trainRecords(run).size() < 150))
            Thread.sleep(20);
        String job = Files.readString(out.resolve("slurm/jobs.tsv")).split("\t")[0];
        // Requeue the running task, as a preemption would: Slurm kills it and queues it again. A requeued job may only
        // start after a delay (two minutes); let it start in 3 s instead (not at once: slurmd refuses to launch a job in
        // the same second its credential was revoked, "Job credential revoked").
        sh("scontrol", "requeue", job + "_0");
        int before = TrainResumeIT.trainRecords(run).size();
        deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline && !sh("squeue", "--noheader", "--array", "--states=all", "--jobs=" + job, "--format=%T").contains("PENDING"))
            Thread.sleep(50);
        sh("scontrol", "update", "JobId=" + job + "_0", "StartTime=now+3");
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("compare finishes").isTrue();
        String stdout = Files.readString(dir.resolve("out.txt"));
        assertThat(p.exitValue()).as(stdout + Files.readString(dir.resolve("err.txt"))).isZero();

        String log = Files.readString(run.resolve("train.log"));
        assertThat(log).contains("_0, restart 0) on").containsPattern("_0, restart 1\\) on \\S+, resuming from the last checkpoint");
        Matcher m = Pattern.compile("resuming from \\S+ at iteration (\\d+)").matcher(log);
        assertThat(m.find()).as(log).isTrue();
        long resumedAt = Long.parseLong(m.group(1));
        assertThat(resumedAt).as("killed mid-run (%d train records when requeued)", before).isBetween(100L, 900L);
        List<JsonNode> x = TrainResumeIT.trainRecords(dir.resolve("whole/softmax/seed-1337")), y = TrainResumeIT.trainRecords(run);
        assertThat(y).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(y.get(i).get("iter").asLong()).isEqualTo(i);
            assertThat(y.get(i).get("loss").asDouble()).as("loss at step %d", i).isEqualTo(x.get(i).get("loss").asDouble());
        }
        assertThat(Files.readAllLines(out.resolve("compare.csv"))).isEqualTo(Files.readAllLines(dir.resolve("whole/compare.csv")));
    }

    @Test
    void aFailedRunIsReportedWithItsSlurmStateAndLogWhileTheOthersFinishAndRetryRunsItAgain() throws Exception {
        Path cfg = Nanolab.tinyConfig(dir, 6, 3);
        // The executor from the config's 'executor' key this time.
        Files.writeString(cfg, Files.readString(cfg) + "executor: {name: slurm, poll_seconds: 0.5}\n");
        Path out = dir.resolve("cmp");
        Nanolab.Result r = Nanolab.run(dir, "compare", "--config", cfg.toString(), "--vary", "optimizer.lr=3e-3,1e30", "--seeds", "1",
                "--out", out.toString(), "--probes", "none", "--set", "backend.threads=1", "--retry", "1");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err()).contains("1 of 2 runs failed");
        assertThat(r.out()).contains("executor slurm").containsPattern("1e30, seed 1337: FAILED: Slurm state FAILED \\(task \\d+_1, exit 1\\): nanolab: ")
                .contains("3e-3, seed 1337: done").contains("retry 1 of 1: 1 failed run(s) again").containsPattern("resubmitted 1 run\\(s\\) as job array \\d+");
        List<Map<String, String>> runs = CompareIT.csv(out.resolve("compare-runs.csv"));
        assertThat(runs).extracting(m -> m.get("variant") + ":" + m.get("status")).containsExactly("3e-3:ok", "1e30:failed");
        // The error cell holds commas and the log's last lines (quoted): read the file whole.
        assertThat(Files.readString(out.resolve("compare-runs.csv"))).containsPattern("1e30,1337,failed,.*\"Slurm state FAILED \\(task \\d+_1, exit 1\\): ")
                .containsPattern("NaN|Infinity"); // the training error: a non-finite loss
        assertThat(CompareIT.records(out.resolve("3e-3/seed-1337"), "eval").getLast().get("iter").asLong()).isEqualTo(6);
        // Two job arrays: the sweep, and the retry of index 1 alone.
        List<String> jobs = Files.readAllLines(out.resolve("slurm/jobs.tsv"));
        assertThat(jobs).hasSize(2);
        assertThat(jobs.get(0)).endsWith("\t0,1");
        assertThat(jobs.get(1)).endsWith("\t1");
        assertThat(Files.readString(out.resolve("1e30/seed-1337/compare-config.yaml"))).doesNotContain("executor");
        assertThat(CompareIT.checkHtml(out.resolve("compare.html")).getDocumentElement().getTextContent()).contains("FAILED");
    }

    @Test
    void interruptingCompareCancelsTheJobArray() throws Exception {
        // Long runs, so the interrupt lands while they train (5000 steps finished before it once the kernels got faster).
        Path cfg = Nanolab.tinyConfig(dir, 100_000, 1000);
        Path out = dir.resolve("cancelled");
        ProcessBuilder pb = Nanolab.builder(dir, "compare", "--config", cfg.toString(), "--vary", "model.attention=softmax,softmax1", "--seeds", "1",
                "--out", out.toString(), "--probes", "none", "--set", "backend.threads=1", "--executor", "slurm", "--poll", "0.5");
        // A build started in the background (`.ci/run &`) hands SIGINT down ignored, and a JVM that starts with SIGINT
        // ignored never sees Ctrl-C: compare would run to the end. env resets it to the default, as a terminal has it.
        pb.command().addAll(0, List.of("env", "--default-signal=INT"));
        Process p = pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && !Pattern.compile("[1-9] running, ").matcher(Files.readString(dir.resolve("out.txt"))).find()) Thread.sleep(100);
        String job = Files.readString(out.resolve("slurm/jobs.tsv")).split("\t")[0];
        sh("kill", "-INT", Long.toString(p.pid())); // bin/nanolab execs java: this is Ctrl-C's signal to compare
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("interrupted: cancelling Slurm job " + job + " (scancel)");
        String states = "";
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            states = sh("squeue", "--noheader", "--array", "--states=all", "--jobs=" + job, "--format=%T");
            if (!states.isBlank() && states.lines().allMatch(s -> s.strip().equals("CANCELLED"))) break;
            Thread.sleep(200);
        }
        assertThat(states.lines().map(String::strip).toList()).hasSize(2).containsOnly("CANCELLED");
    }

    static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}
