package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.training.config.DataConfig;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.data.PreparedData;
import dev.nanolab.training.data.TokenFile;
import dev.nanolab.training.data.TokenFormat;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nanoGPT's raw uint16 train.bin/val.bin and llm.c's shards: written by prepare, read by training, and refused when wrong. */
class TokenFormatTest {
    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    private RunConfig config(Path root, DataConfig.Format format, String path) {
        RunConfig c = Fixtures.config(root, 4, 2, 3e-3, "softmax");
        DataConfig d = new DataConfig(0.1, DataConfig.Split.AUTO, root.resolve("data").toString(), format, path);
        return new RunConfig(c.seed(), c.outDir(), c.dataset(), c.tokenizer(), d, c.model(), c.optimizer(), c.paramGroups(),
                c.schedule(), c.backend(), c.train(), c.sample());
    }

    private static int[] ids(TokenFile f) {
        int[] out = new int[(int) f.count()];
        f.read(0, out, 0, out.length);
        return out;
    }

    /** What numpy's {@code np.array(ids, dtype=np.uint16).tofile(path)} writes, after an optional llm.c header. */
    private static void writeRaw(Path file, int[] ids, int[] header) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((header == null ? 0 : 1024) + 2 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
        if (header != null) {
            for (int h : header) b.putInt(h);
            b.position(1024);
        }
        for (int id : ids) b.putShort((short) id);
        Files.write(file, b.array());
    }

    @Test
    void prepareWritesNanoGptAndLlmcFilesWithTheSameIdsAsNanolabs() throws IOException {
        int[] train, val;
        try (PreparedData ours = TrainingRun.prepare(config(dir.resolve("a"), DataConfig.Format.NANOLAB, ""), Fixtures.REGISTRY, quiet)) {
            train = ids(ours.train());
            val = ids(ours.val());
        }
        try (PreparedData nano = TrainingRun.prepare(config(dir.resolve("b"), DataConfig.Format.NANOGPT, ""), Fixtures.REGISTRY, quiet)) {
            assertThat(ids(nano.train())).containsExactly(train);
            assertThat(ids(nano.val())).containsExactly(val);
            Path bin = nano.train().path();
            assertThat(Files.size(bin)).as("raw uint16, no header").isEqualTo(2L * train.length);
            ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(Short.toUnsignedInt(raw.getShort(2 * 5))).isEqualTo(train[5]);
            JsonNode meta = new ObjectMapper().readTree(nano.dir().resolve("meta.json").toFile());
            assertThat(meta.get("format").asText()).isEqualTo("nanogpt");
            assertThat(meta.get("vocab_size").asInt()).isEqualTo(nano.tokenizer().vocabSize());
            assertThat(meta.get("tokenizer").asText()).isEqualTo("char");
            assertThat(nano.dir().resolve("tokenizer.state")).isRegularFile();
        }
        try (PreparedData llmc = TrainingRun.prepare(config(dir.resolve("c"), DataConfig.Format.LLMC, ""), Fixtures.REGISTRY, quiet)) {
            assertThat(ids(llmc.val())).containsExactly(val);
            ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(llmc.val().path())).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(raw.getInt(0)).isEqualTo(20240520);
            assertThat(raw.getInt(4)).isEqualTo(1);
            assertThat(raw.getInt(8)).isEqualTo(val.length);
            assertThat(raw.getInt(12)).isZero();
            assertThat(raw.capacity()).isEqualTo(1024 + 2 * val.length);
            assertThat(Short.toUnsignedInt(raw.getShort(1024))).isEqualTo(val[0]);
        }
    }

    @Test
    void trainingReadsFilesWrittenByNanoGptAndLlmc() throws IOException {
        // A folder as nanoGPT's prepare.py leaves it: train.bin, val.bin, nothing else; the tokenizer is a fixed one.
        int[] train = new int[600], val = new int[100];
        for (int i = 0; i < train.length; i++) train[i] = (i * 7919) % 50257;
        for (int i = 0; i < val.length; i++) val[i] = (i * 104729) % 50257;
        Path nano = Files.createDirectories(dir.resolve("nanogpt"));
        writeRaw(nano.resolve("train.bin"), train, null);
        writeRaw(nano.resolve("val.bin"), val, null);
        TokenizerFactory gpt2 = Fixtures.ref(ComponentKind.TOKENIZER, "tiktoken:gpt2", new NoOptions()).create(Fixtures.REGISTRY);
        try (PreparedData d = PreparedData.open(nano, gpt2, DataConfig.Format.NANOGPT)) {
            assertThat(ids(d.train())).containsExactly(train);
            assertThat(ids(d.val())).containsExactly(val);
            assertThat(d.tokenizer().vocabSize()).isEqualTo(50257);
        }
        // llm.c's shards, as its dev/data scripts name them
        Path llmc = Files.createDirectories(dir.resolve("llmc"));
        writeRaw(llmc.resolve("tiny_train_000001.bin"), train, new int[] {20240520, 1, train.length});
        writeRaw(llmc.resolve("tiny_val_000000.bin"), val, new int[] {20240520, 1, val.length});
        try (PreparedData d = PreparedData.open(llmc, gpt2, DataConfig.Format.LLMC)) {
            assertThat(ids(d.train())).containsExactly(train);
            assertThat(ids(d.val())).containsExactly(val);
        }
        writeRaw(llmc.resolve("tiny_train_000002.bin"), train, new int[] {20240520, 1, train.length});
        assertThatThrownBy(() -> PreparedData.open(llmc, gpt2, DataConfig.Format.LLMC)).hasMessageContaining("has 2 llm.c train shards");

        // and a run trains on a nanoGPT-format folder given by data.path (char ids this time, tokenizer.state beside them)
        Path prepared;
        try (PreparedData p = TrainingRun.prepare(config(dir.resolve("p"), DataConfig.Format.NANOGPT, ""), Fixtures.REGISTRY, quiet)) {
            prepared = p.dir();
        }
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String f : List.of("train.bin", "val.bin", "tokenizer.state")) Files.copy(prepared.resolve(f), copy.resolve(f));
        RunConfig c = config(dir.resolve("r"), DataConfig.Format.NANOGPT, copy.toString());
        try (TrainingRun run = TrainingRun.open(c, "seed: 7\n", Fixtures.REGISTRY, quiet)) {
            assertThat(run.data().dir()).isEqualTo(copy);
            new Trainer(run, Path.of(c.outDir()), quiet).run(false);
        }
        assertThat(TrainerTest.metrics(Path.of(c.outDir()), "train")).hasSize(4);
    }

    @Test
    void wrongFilesAreRefusedInOneLineNamingTheFile() throws IOException {
        TokenizerFactory gpt2 = Fixtures.ref(ComponentKind.TOKENIZER, "tiktoken:gpt2", new NoOptions()).create(Fixtures.REGISTRY);
        Path f = dir.resolve("x.bin");
        writeRaw(f, new int[] {1, 2, 3}, new int[] {20240521, 1, 3});
        assertThatThrownBy(() -> TokenFile.open(f, DataConfig.Format.LLMC, 50257, "t", "f"))
                .hasMessage("token file " + f + " (format llmc) has magic 20240521, not llm.c's 20240520");
        writeRaw(f, new int[] {1, 2, 3}, new int[] {20240520, 2, 3});
        assertThatThrownBy(() -> TokenFile.open(f, DataConfig.Format.LLMC, 50257, "t", "f"))
                .hasMessage("token file " + f + " (format llmc) has version 2; nanolab reads llm.c's version 1 (uint16 tokens)");
        writeRaw(f, new int[] {1, 2, 3}, new int[] {20240520, 1, 4});
        assertThatThrownBy(() -> TokenFile.open(f, DataConfig.Format.LLMC, 50257, "t", "f"))
                .hasMessage("token file " + f + " (format llmc) is truncated or padded: its header says 4 tokens (1032 bytes) but the file has 1030 bytes");
        Files.write(f, new byte[] {1, 0, 2});
        assertThatThrownBy(() -> TokenFile.open(f, DataConfig.Format.NANOGPT, 50257, "t", "f"))
                .hasMessage("token file " + f + " (format nanogpt) has an odd size of 3 bytes: raw uint16 ids come in 2-byte units");
        writeRaw(f, new int[] {1, 60000, 3}, null);
        assertThatThrownBy(() -> TokenFile.open(f, DataConfig.Format.NANOGPT, 50257, "gpt2", "f"))
                .hasMessageStartingWith("token file " + f + " has id 60000 at token 1, outside the vocabulary of 50257");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> PreparedData.open(empty, gpt2, DataConfig.Format.NANOGPT)).hasMessage("token file " + empty.resolve("train.bin") + " does not exist");
        TokenizerFactory chars = Fixtures.REGISTRY.spec(ComponentKind.TOKENIZER, "char").defaults() instanceof Record r
                ? Fixtures.ref(ComponentKind.TOKENIZER, "char", r).create(Fixtures.REGISTRY) : null;
        assertThatThrownBy(() -> PreparedData.open(empty, chars, DataConfig.Format.NANOGPT)).hasMessageContaining("has no tokenizer.state");
        assertThat(TokenFormat.LLMC_HEADER).isEqualTo(1024);
    }
}
