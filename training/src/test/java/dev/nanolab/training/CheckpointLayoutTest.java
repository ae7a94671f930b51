package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.checkpoint.Safetensors;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints keep the weights and the optimizer state in two files (the weights can be handed to anyone), written as
 * a pair; a checkpoint in the older single-file layout still loads and resumes exactly.
 */
class CheckpointLayoutTest {
    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    private void train(RunConfig c, boolean resume) throws IOException {
        try (TrainingRun run = TrainingRun.open(c, "seed: 7\n", Fixtures.REGISTRY, quiet)) {
            new Trainer(run, Path.of(c.outDir()), quiet).run(resume);
        }
    }

    @Test
    void theWeightsFileHoldsNoOptimizerStateAndTheStateFileIsItsPair() throws IOException {
        RunConfig c = Fixtures.config(dir, 4, 4, 3e-3, "softmax");
        train(c, false);
        Path last = Path.of(c.outDir()).resolve(Trainer.LAST);
        Safetensors.Contents weights = Safetensors.read(last), state = Safetensors.read(Checkpoint.stateFile(last));
        assertThat(Checkpoint.stateFile(last).getFileName().toString()).isEqualTo("last.safetensors".replace(".safetensors", ".state.safetensors"));
        assertThat(weights.tensors().keySet()).noneMatch(k -> k.startsWith("optimizer.")).contains("transformer.wte.weight");
        assertThat(state.tensors().keySet()).isNotEmpty().allMatch(k -> k.startsWith("optimizer."));
        assertThat(weights.metadata().get("format")).isEqualTo(Checkpoint.WEIGHTS_FORMAT);
        assertThat(state.metadata().get("pair_id")).isEqualTo(weights.metadata().get("pair_id"));
        Checkpoint ck = Checkpoint.read(last);
        assertThat(ck.optimizer()).containsKey("transformer.h.1.mlp.c_fc.weight.exp_avg");
        assertThat(Path.of(c.outDir()).resolve("best.state.safetensors")).isRegularFile();
    }

    @Test
    void aStateFileFromAnotherSaveIsRefusedAndAMissingOneStopsAResume() throws IOException {
        RunConfig c = Fixtures.config(dir, 4, 2, 3e-3, "softmax");
        train(c, false);
        Path run = Path.of(c.outDir()), last = run.resolve(Trainer.LAST);
        Path other = dir.resolve("other.safetensors");
        Files.copy(last, other);
        Files.copy(run.resolve("best.state.safetensors"), Checkpoint.stateFile(other));
        Checkpoint.read(run.resolve(Trainer.BEST)).write(dir.resolve("fresh.safetensors"), Checkpoint.FILES);
        Files.copy(Checkpoint.stateFile(dir.resolve("fresh.safetensors")), Checkpoint.stateFile(other), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Checkpoint.read(other)).hasMessage("checkpoint " + other + " and its optimizer state other.state.safetensors are from different saves"
                + " (the run was stopped between writing the two); resume from the other checkpoint of the run");

        // the weights alone: evaluable, not resumable
        Files.delete(Checkpoint.stateFile(last));
        Files.delete(run.resolve("best.state.safetensors"));
        assertThat(Checkpoint.read(last).optimizer()).isEmpty();
        RunConfig more = Fixtures.config(dir, 6, 2, 3e-3, "softmax");
        assertThatThrownBy(() -> train(more, true)).hasMessageContaining("cannot resume from " + last + ": its optimizer state " + Checkpoint.stateFile(last) + " is missing");
    }

    @Test
    void aResumeRepairsALastWhoseStateIsFromAnotherSaveFromBest() throws IOException {
        RunConfig c = Fixtures.config(dir, 4, 2, 3e-3, "softmax");
        train(c, false);
        Path run = Path.of(c.outDir()), last = run.resolve(Trainer.LAST);
        Checkpoint.read(last).write(dir.resolve("elsewhere.safetensors"), Checkpoint.FILES);
        Files.copy(Checkpoint.stateFile(dir.resolve("elsewhere.safetensors")), Checkpoint.stateFile(last), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Checkpoint.read(last)).hasMessageContaining("are from different saves");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (TrainingRun r = TrainingRun.open(Fixtures.config(dir, 6, 2, 3e-3, "softmax"), "seed: 7\n", Fixtures.REGISTRY, quiet)) {
            new Trainer(r, run, new PrintStream(log)).run(true);
        }
        assertThat(log.toString()).contains("repaired " + last + ": its weights and optimizer state were from different saves");
        assertThat(Checkpoint.read(last).state().step()).isEqualTo(6);
    }

    /** Writes a checkpoint as nanolab did before the split: one file, optimizer tensors inside, format nanolab-checkpoint-1. */
    private static void writeSingleFile(Checkpoint ck, Path file) throws IOException {
        Safetensors.Contents w = Safetensors.read(file);
        Map<String, Safetensors.Entry> all = new LinkedHashMap<>(ck.model());
        ck.optimizer().forEach((k, v) -> all.put("optimizer." + k, v));
        Map<String, String> meta = new LinkedHashMap<>(w.metadata());
        meta.remove("pair_id");
        meta.remove(Checkpoint.METADATA_CRC);
        meta.remove(Checkpoint.TENSOR_CRC);
        meta.put("format", "nanolab-checkpoint-1");
        CRC32C crc = new CRC32C();
        meta.forEach((k, v) -> crc.update((k + "\0" + v + "\0").getBytes(StandardCharsets.UTF_8)));
        ObjectNode crcs = new ObjectMapper().createObjectNode();
        all.forEach((k, v) -> crcs.put(k, String.format("%08x", Safetensors.crc32c(v.values()))));
        meta.put(Checkpoint.METADATA_CRC, String.format("%08x", (int) crc.getValue()));
        meta.put(Checkpoint.TENSOR_CRC, new ObjectMapper().writeValueAsString(crcs));
        Files.delete(Checkpoint.stateFile(file));
        try (OutputStream out = Files.newOutputStream(file)) {
            Safetensors.write(out, all, meta);
        }
    }

    @Test
    void anOldSingleFileCheckpointLoadsAndResumesExactly() throws IOException {
        RunConfig whole = Fixtures.config(dir.resolve("a"), 8, 4, 3e-3, "softmax");
        train(whole, false);
        RunConfig cut = Fixtures.config(dir.resolve("b"), 4, 4, 3e-3, "softmax");
        train(cut, false);
        Path run = Path.of(cut.outDir());
        for (String name : List.of(Trainer.LAST, Trainer.BEST)) {
            Path f = run.resolve(name);
            writeSingleFile(Checkpoint.read(f), f);
        }
        Checkpoint old = Checkpoint.read(run.resolve(Trainer.LAST));
        assertThat(Safetensors.read(run.resolve(Trainer.LAST)).metadata().get("format")).isEqualTo("nanolab-checkpoint-1");
        assertThat(Checkpoint.stateFile(run.resolve(Trainer.LAST))).doesNotExist();
        assertThat(old.optimizer()).containsKey("transformer.h.1.mlp.c_fc.weight.exp_avg");
        assertThat(old.model().keySet()).noneMatch(k -> k.startsWith("optimizer."));

        train(Fixtures.config(dir.resolve("b"), 8, 4, 3e-3, "softmax"), true);
        List<com.fasterxml.jackson.databind.JsonNode> a = TrainerTest.metrics(Path.of(whole.outDir()), "train"),
                b = TrainerTest.metrics(run, "train");
        assertThat(b).hasSize(8);
        for (int i = 0; i < 8; i++) assertThat(b.get(i).get("loss").asDouble()).as("step %d", i).isEqualTo(a.get(i).get("loss").asDouble());
        assertThat(Checkpoint.stateFile(run.resolve(Trainer.LAST))).as("the resumed run writes the new layout").isRegularFile();
    }
}
