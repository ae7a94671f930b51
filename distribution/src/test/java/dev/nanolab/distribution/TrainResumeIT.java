package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed with kill -9 and resumed follows the uninterrupted run step for step; sample and eval read its checkpoint. */
class TrainResumeIT {
    @TempDir
    Path dir;

    static List<JsonNode> trainRecords(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            if (line.isBlank()) continue;
            JsonNode n = om.readTree(line);
            if (n.get("type").asText().equals("train")) out.add(n);
        }
        return out;
    }

    @Test
    void killMinusNineThenResumeRepeatsTheUninterruptedRun() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a")), b = Files.createDirectories(dir.resolve("b"));
        Nanolab.Result whole = Nanolab.run(a, "train", "--config", Nanolab.tinyConfig(a, 60, 10).toString());
        assertThat(whole.code()).as(whole.err()).isZero();

        Path cfgB = Nanolab.tinyConfig(b, 60, 10);
        Process p = Nanolab.builder(b, "train", "--config", cfgB.toString())
                .redirectOutput(b.resolve("out.txt").toFile()).redirectError(b.resolve("err.txt").toFile()).start();
        Path metrics = b.resolve("run/metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (Files.exists(metrics) && trainRecords(b.resolve("run")).size() >= 25) break;
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        p.waitFor();
        int seen = trainRecords(b.resolve("run")).size();
        assertThat(seen).as("killed mid-run").isBetween(25, 59);

        Nanolab.Result resumed = Nanolab.run(b, "train", "--config", cfgB.toString(), "--resume");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming from");
        List<JsonNode> x = trainRecords(a.resolve("run")), y = trainRecords(b.resolve("run"));
        assertThat(y).hasSize(60);
        for (int i = 0; i < 60; i++) {
            assertThat(y.get(i).get("iter").asLong()).isEqualTo(i);
            assertThat(y.get(i).get("loss").asDouble()).as("loss at step %d", i).isEqualTo(x.get(i).get("loss").asDouble());
        }

        Nanolab.Result sample = Nanolab.run(b, "sample", "--checkpoint", b.resolve("run/best.safetensors").toString(),
                "--prompt", "public int ", "--num-samples", "1", "--max-new-tokens", "40", "--seed", "3");
        assertThat(sample.code()).as(sample.err()).isZero();
        assertThat(sample.out()).startsWith("public int ");
        Nanolab.Result eval = Nanolab.run(b, "eval", "--checkpoint", b.resolve("run/best.safetensors").toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).containsPattern("loss \\d+\\.\\d+, perplexity \\d+\\.\\d+, \\d+\\.\\d+ bits per character");
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Path cfg = Nanolab.tinyConfig(dir, 2, 2);
        Nanolab.Result typo = Nanolab.run(dir, "train", "--config", cfg.toString(), "--set", "model.n_layr=3");
        assertThat(typo.code()).isEqualTo(1);
        assertThat(typo.err()).contains("model.n_layr: unknown key; did you mean n_layer?");
        Nanolab.Result range = Nanolab.run(dir, "train", "--config", cfg.toString(), "--set", "train.batch_size=0");
        assertThat(range.err()).contains("train.batch_size: 0 is outside the allowed range [1, ∞]");
        Nanolab.Result missing = Nanolab.run(dir, "sample", "--checkpoint", dir.resolve("nope.safetensors").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("checkpoint " + dir.resolve("nope.safetensors") + " does not exist");
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "not a checkpoint at all");
        Nanolab.Result corrupt = Nanolab.run(dir, "eval", "--checkpoint", junk.toString());
        assertThat(corrupt.code()).isEqualTo(1);
        assertThat(corrupt.err()).contains(junk.toString());
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "");
        Nanolab.Result none = Nanolab.run(dir, "train", "--config", cfg.toString(), "--set", "dataset=text:" + empty);
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains(empty.toString());
    }
}
