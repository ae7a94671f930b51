package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.config.TrainConfig;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import dev.nanolab.training.train.TrainingStoppedException;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop: learning, checkpoints, exact resume, and stopping cleanly on NaN and full disks. */
class TrainerTest {
    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    private Trainer.Result train(RunConfig c, boolean resume, Trainer.Result[] out, java.util.function.Consumer<Trainer> setup) throws IOException {
        try (TrainingRun run = TrainingRun.open(c, "seed: 7\n", Fixtures.REGISTRY, quiet)) {
            Trainer t = new Trainer(run, Path.of(c.outDir()), quiet);
            if (setup != null) setup.accept(t);
            return t.run(resume);
        }
    }

    static List<JsonNode> metrics(Path runDir, String type) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl")))
            if (!line.isBlank() && om.readTree(line).path("type").asText().equals(type)) out.add(om.readTree(line));
        return out;
    }

    @Test
    void aTinyGptLearnsAndWritesCheckpointsAndMetrics() throws IOException {
        RunConfig c = Fixtures.config(dir, 40, 20, 3e-3, "softmax");
        Trainer.Result r = train(c, false, null, null);
        Path run = Path.of(c.outDir());
        List<JsonNode> evals = metrics(run, "eval");
        assertThat(evals).hasSize(3);
        assertThat(evals.get(2).get("val_loss").asDouble()).isLessThan(evals.get(0).get("val_loss").asDouble() * 0.6);
        assertThat(metrics(run, "train")).hasSize(40).allSatisfy(n -> {
            assertThat(n.get("tokens_per_s").asDouble()).isPositive();
            assertThat(n.get("mfu").asDouble()).isPositive();
            assertThat(n.get("grad_norm").asDouble()).isPositive();
        });
        Checkpoint last = Checkpoint.read(run.resolve(Trainer.LAST));
        assertThat(last.state().step()).isEqualTo(40);
        assertThat(last.model()).containsKey("transformer.h.1.mlp.c_fc.weight");
        assertThat(last.optimizer()).containsKey("transformer.h.1.mlp.c_fc.weight.exp_avg");
        assertThat(r.bestValLoss()).isEqualTo(Checkpoint.read(run.resolve(Trainer.BEST)).state().bestValLoss());
    }

    /** A speedrun's finish line: the first evaluation at or below train.target_val_loss ends the run and is recorded. */
    @Test
    void aTargetValLossStopsAtTheFirstEvaluationThatReachesIt() throws IOException {
        RunConfig full = Fixtures.config(dir.resolve("full"), 40, 5, 3e-3, "softmax");
        train(full, false, null, null);
        List<JsonNode> evals = metrics(Path.of(full.outDir()), "eval");
        // The target: the val loss of the evaluation at step 20, so the run must stop there (or at an earlier, lower one).
        double target = evals.get(4).get("val_loss").asDouble();
        long expected = evals.stream().filter(e -> e.get("val_loss").asDouble() <= target).mapToLong(e -> e.get("iter").asLong()).min().orElseThrow();
        RunConfig c = Fixtures.config(dir.resolve("target"), 40, 5, 3e-3, "softmax");
        TrainConfig t = c.train();
        c = new RunConfig(c.seed(), c.outDir(), c.dataset(), c.tokenizer(), c.data(), c.model(), c.optimizer(), c.paramGroups(),
                c.schedule(), c.backend(), new TrainConfig(t.batchSize(), t.gradientAccumulationSteps(), t.maxIters(), t.evalInterval(),
                t.evalIters(), t.logInterval(), false, true, t.gradClip(), t.peakFlops(), false, target), c.sample(), c.probes());
        Trainer.Result r = train(c, false, null, null);
        assertThat(r.reachedTarget()).isTrue();
        assertThat(r.steps()).isEqualTo(expected).isLessThan(40);
        assertThat(r.trainSeconds()).isPositive();
        List<JsonNode> hit = metrics(Path.of(c.outDir()), "target");
        assertThat(hit).hasSize(1);
        assertThat(hit.get(0).get("iter").asLong()).isEqualTo(expected);
        assertThat(hit.get(0).get("val_loss").asDouble()).isLessThanOrEqualTo(target);
        assertThat(hit.get(0).get("train_time_s").asDouble()).isCloseTo(r.trainSeconds(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(metrics(Path.of(c.outDir()), "train")).hasSize((int) expected);
    }

    @Test
    void aRunKilledMidwayResumesExactly() throws IOException {
        // Uninterrupted: 20 steps, evaluating and checkpointing every 5.
        RunConfig whole = Fixtures.config(dir.resolve("a"), 20, 5, 3e-3, "softmax");
        train(whole, false, null, null);
        // Interrupted after the checkpoint at step 10 (a crash during step 12), then resumed.
        RunConfig cut = Fixtures.config(dir.resolve("b"), 20, 5, 3e-3, "softmax");
        assertThatThrownBy(() -> train(cut, false, null, t -> t.beforeStep(iter -> {
            if (iter == 12) throw new IllegalStateException("killed");
        }))).hasMessage("killed");
        assertThat(Checkpoint.read(Path.of(cut.outDir()).resolve(Trainer.LAST)).state().step()).isEqualTo(10);
        train(cut, true, null, null);
        List<JsonNode> a = metrics(Path.of(whole.outDir()), "train"), b = metrics(Path.of(cut.outDir()), "train");
        assertThat(b).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(b.get(i).get("iter").asLong()).isEqualTo(i);
            assertThat(b.get(i).get("loss").asDouble()).as("loss at step %d", i).isEqualTo(a.get(i).get("loss").asDouble());
            assertThat(b.get(i).get("grad_norm").asDouble()).as("grad norm at step %d", i).isEqualTo(a.get(i).get("grad_norm").asDouble());
        }
        assertThat(metrics(Path.of(cut.outDir()), "eval")).extracting(n -> n.get("val_loss").asDouble())
                .containsExactlyElementsOf(metrics(Path.of(whole.outDir()), "eval").stream().map(n -> n.get("val_loss").asDouble()).toList());
    }

    @Test
    void aNanLossStopsTheRunSaysWhereAndKeepsTheLastGoodCheckpoint() throws IOException {
        RunConfig c = Fixtures.config(dir, 200, 5, 1e5, "softmax");
        c = new RunConfig(c.seed(), c.outDir(), c.dataset(), c.tokenizer(), c.data(), c.model(), c.optimizer(), c.paramGroups(), c.schedule(),
                c.backend(), new dev.nanolab.training.config.TrainConfig(4, 1, 200, 2, 2, 1, false, true, 0, 1e9, false), c.sample());
        RunConfig cfg = c;
        Throwable stopped = org.assertj.core.api.Assertions.catchThrowable(() -> train(cfg, false, null, null));
        assertThat(stopped).isInstanceOf(TrainingStoppedException.class)
                .hasMessageContaining("at iteration").hasMessageMatching("(?s)(loss|gradient norm) became (NaN|Infinity|-Infinity) at iteration \\d+.*")
                .hasMessageContaining("no update applied");
        Path last = Path.of(c.outDir()).resolve(Trainer.LAST);
        // The message points at the checkpoint exactly when there is one.
        if (Files.exists(last)) {
            assertThat(stopped).hasMessageContaining("The last good checkpoint is " + last);
            Checkpoint ck = Checkpoint.read(last);
            for (var e : ck.model().values()) for (float v : e.values()) assertThat(Float.isFinite(v)).isTrue();
        } else {
            assertThat(stopped).hasMessageContaining("No checkpoint was written yet");
        }
    }

    @Test
    void aFullDiskWhileCheckpointingKeepsThePreviousCheckpoint() throws IOException {
        RunConfig c = Fixtures.config(dir, 20, 5, 3e-3, "softmax");
        int[] writes = {0};
        Checkpoint.Sink fullAfterFirst = file -> {
            OutputStream real = Checkpoint.FILES.open(file);
            if (writes[0]++ < 4) return real; // step 5: best and last, each a state file and a weights file
            return new FilterOutputStream(real) {
                long n;

                @Override
                public void write(int b) throws IOException {
                    if (++n > 1000) throw new IOException("No space left on device");
                    super.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    for (int i = 0; i < len; i++) write(b[off + i]);
                }
            };
        };
        Path last = Path.of(c.outDir()).resolve(Trainer.LAST);
        assertThatThrownBy(() -> train(c, false, null, t -> t.checkpointSink(fullAfterFirst)))
                .isInstanceOf(TrainingStoppedException.class)
                .hasMessageContaining(last.resolveSibling(Trainer.BEST).toString()).hasMessageContaining("No space left on device")
                .hasMessageContaining("the previous checkpoint there is intact");
        assertThat(Checkpoint.read(last).state().step()).isEqualTo(5);
        assertThat(Files.list(last.getParent()).filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }

    @Test
    void resumingWithAnotherArchitectureSizeIsRefused() throws IOException {
        RunConfig c = Fixtures.config(dir, 5, 5, 3e-3, "softmax");
        train(c, false, null, null);
        var gpt = new dev.nanolab.models.gpt.GptConfig(3, 2, 32, 16, 0, 0.1f, true, ((dev.nanolab.models.gpt.GptConfig) c.model().options()).attention());
        RunConfig bigger = new RunConfig(c.seed(), c.outDir(), c.dataset(), c.tokenizer(), c.data(),
                Fixtures.ref(dev.nanolab.api.plugin.ComponentKind.ARCHITECTURE, "gpt", gpt), c.optimizer(), c.paramGroups(), c.schedule(), c.backend(), c.train(), c.sample());
        assertThatThrownBy(() -> train(bigger, true, null, null)).hasMessageContaining("last.safetensors").hasMessageContaining("another architecture or config");
    }
}
