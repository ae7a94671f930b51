package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.attention.AttentionPlugin;
import dev.nanolab.cpu.CpuPlugin;
import dev.nanolab.models.ModelsPlugin;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.optimizers.OptimizersPlugin;
import dev.nanolab.tokenizers.TokenizersPlugin;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.checkpoint.Safetensors;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.config.TrainConfig;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import dev.nanolab.training.train.TrainingStoppedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: a non-finite gradient never reaches the weights or a checkpoint; best and last stay consistent across a
 * kill between their writes; checkpoints verify themselves.
 */
class CheckpointSafetyTest {
    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    /** While set, the "poison" attention's backward gives NaN gradients; its forward is softmax's, finite. */
    static volatile boolean poisoned;

    public static final class PoisonPlugin extends Fixtures.TestPlugin {
        @ProvidesIntoSet
        public ComponentSpec<?, AttentionVariant> poison() {
            return ComponentSpec.of(ComponentKind.ATTENTION, "poison", "softmax whose gradient is NaN while poisoned",
                    NoOptions.class, c -> AttentionVariant.ofNormalizer(scores -> {
                        var p = F.softmax(scores);
                        return poisoned ? p.add(p.mul(0f).sqrt()) : p; // adds 0; d sqrt(0) = inf, times 0 = NaN
                    }));
        }
    }

    static final ComponentRegistry REGISTRY = ComponentRegistry.of(new AttentionPlugin(), new ModelsPlugin(),
            new OptimizersPlugin(), new TokenizersPlugin(), new CpuPlugin(), new Fixtures.TinyTextPlugin(), new PoisonPlugin(),
            new dev.nanolab.tracking.TrackingPlugin());

    private static RunConfig config(Path dir, long maxIters, long evalInterval, boolean skip) {
        RunConfig c = Fixtures.config(dir, maxIters, evalInterval, 3e-3, "poison");
        TrainConfig t = c.train();
        TrainConfig train = new TrainConfig(t.batchSize(), t.gradientAccumulationSteps(), maxIters, evalInterval, t.evalIters(), t.logInterval(),
                false, true, t.gradClip(), t.peakFlops(), false, skip);
        return new RunConfig(c.seed(), c.outDir(), c.dataset(), c.tokenizer(), c.data(), c.model(), c.optimizer(), c.paramGroups(),
                c.schedule(), c.backend(), train, c.sample());
    }

    private Trainer.Result train(RunConfig c, boolean resume, Consumer<Trainer> setup) throws IOException {
        try (TrainingRun run = TrainingRun.open(c, "seed: 7\n", REGISTRY, quiet)) {
            Trainer t = new Trainer(run, Path.of(c.outDir()), quiet);
            if (setup != null) setup.accept(t);
            return t.run(resume);
        } finally {
            poisoned = false;
        }
    }

    private static void assertFinite(Checkpoint ck) {
        for (var group : List.of(ck.model(), ck.optimizer()))
            for (var e : group.entrySet())
                for (float v : e.getValue().values()) assertThat(Float.isFinite(v)).as(e.getKey()).isTrue();
    }

    @Test
    void aNonFiniteGradientIsNeverAppliedAndNeverCheckpointed() throws IOException {
        // always_save_checkpoint is on (the demo's setting), evaluation every 2 steps: the bug saved NaN weights at step 4.
        RunConfig c = config(dir, 20, 2, false);
        Throwable stopped = catchThrowable(() -> train(c, false, t -> t.beforeStep(iter -> poisoned = iter >= 3)));
        Path last = Path.of(c.outDir()).resolve(Trainer.LAST);
        assertThat(stopped).isInstanceOf(TrainingStoppedException.class)
                .hasMessageContaining("gradient norm became NaN at iteration 3")
                .hasMessageContaining("the first non-finite tensor is the gradient of transformer.")
                .hasMessageContaining("no update applied")
                .hasMessageContaining("The last good checkpoint is " + last + " (iteration 2)");
        Checkpoint ck = Checkpoint.read(last);
        assertThat(ck.state().step()).isEqualTo(2);
        assertFinite(ck);
        assertFinite(Checkpoint.read(Path.of(c.outDir()).resolve(Trainer.BEST)));
    }

    @Test
    void skipNonFiniteSkipsTheStepCountsItAndGoesOn() throws IOException {
        RunConfig c = config(dir, 8, 4, true);
        train(c, false, t -> t.beforeStep(iter -> poisoned = iter == 3));
        Path run = Path.of(c.outDir());
        List<JsonNode> train = TrainerTest.metrics(run, "train");
        assertThat(train).hasSize(8);
        assertThat(train.get(3).get("skipped").asBoolean()).isTrue();
        assertThat(train.get(3).get("loss").isNull()).isTrue();
        assertThat(train.get(2).get("skipped_steps").asLong()).isZero();
        assertThat(train.get(7).get("skipped_steps").asLong()).isEqualTo(1);
        Checkpoint ck = Checkpoint.read(run.resolve(Trainer.LAST));
        assertThat(ck.state().step()).isEqualTo(8);
        assertThat(ck.state().skippedSteps()).isEqualTo(1);
        assertFinite(ck);
    }

    /** A sink that dies (like kill -9) when asked to open its {@code n}-th file, counting from 1. */
    private static Checkpoint.Sink dyingAt(int n, int[] opens) {
        return file -> {
            if (++opens[0] == n) throw new IllegalStateException("killed while writing " + file.getFileName());
            return Checkpoint.FILES.open(file);
        };
    }

    @Test
    void aKillBetweenTheBestAndLastWritesIsRepairedByTheResume() throws IOException {
        // Count the checkpoint writes of the whole run; then die at the last one, between the two files of the final
        // (improving) evaluation, and resume.
        int[] all = {0};
        train(config(dir.resolve("a"), 12, 4, false), false, t -> t.checkpointSink(dyingAt(-1, all)));
        Path a = Path.of(config(dir.resolve("a"), 12, 4, false).outDir());
        Checkpoint wholeBest = Checkpoint.read(a.resolve(Trainer.BEST));
        assertThat(wholeBest.state().step()).as("the final evaluation improves").isEqualTo(12);

        RunConfig c = config(dir.resolve("b"), 12, 4, false);
        Path b = Path.of(c.outDir());
        assertThatThrownBy(() -> train(c, false, t -> t.checkpointSink(dyingAt(all[0], new int[1])))).hasMessageStartingWith("killed");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (TrainingRun run = TrainingRun.open(c, "seed: 7\n", REGISTRY, quiet)) {
            new Trainer(run, b, new PrintStream(log)).run(true);
        }
        Checkpoint best = Checkpoint.read(b.resolve(Trainer.BEST)), last = Checkpoint.read(b.resolve(Trainer.LAST));
        assertThat(best.state().step()).isEqualTo(12);
        assertThat(last.state().step()).isEqualTo(12);
        assertThat(best.state().bestValLoss()).isEqualTo(last.state().bestValLoss()).isEqualTo(wholeBest.state().bestValLoss());
        assertThat(best.model().get("lm_head.weight") == null ? best.model().values().iterator().next().values()
                : best.model().get("lm_head.weight").values()).containsExactly(
                wholeBest.model().get("lm_head.weight") == null ? wholeBest.model().values().iterator().next().values()
                        : wholeBest.model().get("lm_head.weight").values());
        assertThat(log.toString()).contains("repaired");
    }

    private Path trainedCheckpoint() throws IOException {
        RunConfig c = config(dir, 4, 4, false);
        train(c, false, null);
        return Path.of(c.outDir()).resolve(Trainer.LAST);
    }

    /** Flips one bit at a byte offset inside a tensor's data. */
    private static void flip(Path file, String tensor, int valueIndex) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long headerLen = len.getLong(0);
            ByteBuffer h = ByteBuffer.allocate((int) headerLen);
            ch.read(h, 8);
            JsonNode header = new com.fasterxml.jackson.databind.ObjectMapper().readTree(new String(h.array(), java.nio.charset.StandardCharsets.UTF_8));
            long at = 8 + headerLen + header.get(tensor).get("data_offsets").get(0).asLong() + 4L * valueIndex + 3;
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x40));
            one.rewind();
            ch.write(one, at);
        }
    }

    @Test
    void aFlippedByteInAWeightOrTheOptimizerStateIsNamedOnLoad() throws IOException {
        Path last = trainedCheckpoint();
        Path weight = dir.resolve("weight.safetensors"), moment = dir.resolve("moment.safetensors");
        Files.copy(last, weight);
        Files.copy(last, moment);
        Files.copy(Checkpoint.stateFile(last), Checkpoint.stateFile(moment));
        String tensor = "transformer.h.0.mlp.c_fc.weight";
        flip(weight, tensor, 17);
        flip(Checkpoint.stateFile(moment), "optimizer." + tensor + ".exp_avg", 5);
        assertThatThrownBy(() -> Checkpoint.read(weight)).isInstanceOf(IOException.class)
                .hasMessage("checkpoint " + weight + " is corrupt: tensor " + tensor + " does not match its checksum");
        assertThatThrownBy(() -> Checkpoint.read(moment)).isInstanceOf(IOException.class)
                .hasMessage("checkpoint " + Checkpoint.stateFile(moment) + " is corrupt: tensor optimizer." + tensor + ".exp_avg does not match its checksum");
    }

    @Test
    void aCheckpointWithoutChecksumsStillLoadsWithANote() throws IOException {
        Path last = trainedCheckpoint();
        Safetensors.Contents c = Safetensors.read(last);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.remove(Checkpoint.TENSOR_CRC);
        meta.remove(Checkpoint.METADATA_CRC);
        meta.remove("val_loss");
        meta.remove("skipped_steps");
        Path old = dir.resolve("old.safetensors");
        try (OutputStream out = Files.newOutputStream(old)) {
            Safetensors.write(out, c.tensors(), meta);
        }
        List<String> notes = new ArrayList<>();
        Checkpoint ck = Checkpoint.read(old, notes::add);
        assertThat(ck.state().step()).isEqualTo(4);
        assertThat(ck.state().valLoss()).isNaN();
        assertThat(notes).containsExactly(old + " has no checksums (written by an older nanolab): loaded without verifying it");
    }

    @Test
    void aCheckpointPathThatIsAFolderSaysSo() {
        assertThatThrownBy(() -> Checkpoint.read(dir)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("checkpoint " + dir + " is a folder, not a checkpoint file");
    }

    @Test
    void aModelThatCannotFitIsRefusedBeforeAllocatingWithTheFlagToRaiseTheHeap() {
        RunConfig c = Fixtures.config(dir, 4, 4, 3e-3, "softmax");
        GptConfig g = (GptConfig) c.model().options();
        GptConfig huge = new GptConfig(48, 32, 4096, 256, 0, 0f, true, g.attention());
        RunConfig big = new RunConfig(c.seed(), c.outDir(), c.dataset(), c.tokenizer(), c.data(),
                Fixtures.ref(ComponentKind.ARCHITECTURE, "gpt", huge), c.optimizer(), c.paramGroups(), c.schedule(), c.backend(), c.train(), c.sample());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> TrainingRun.open(big, "", Fixtures.REGISTRY, quiet)).isInstanceOf(TrainingStoppedException.class)
                .hasMessageStartingWith("this run does not fit in memory: it needs about ")
                .hasMessageContaining("parameters").hasMessageContaining("the Java heap is")
                .hasMessageContaining("raise it with NANOLAB_JAVA_OPTS=-Xmx").hasMessageNotContaining("\n");
        assertThat((System.nanoTime() - t0) / 1e9).as("refused before allocating").isLessThan(20);
    }
}
