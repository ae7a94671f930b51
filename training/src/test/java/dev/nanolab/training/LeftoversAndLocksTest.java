package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.data.Document;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.training.config.DataConfig;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.data.DataPreparer;
import dev.nanolab.training.data.PreparedData;
import dev.nanolab.training.train.RunLock;
import dev.nanolab.training.train.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: one run per folder; no temporary file outlives a failure; a broken prepared folder is named or rebuilt. */
class LeftoversAndLocksTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true);
    private final TokenizerFactory chars = Fixtures.REGISTRY.createDefault(ComponentKind.TOKENIZER, "char");

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSecondWriterIsRefusedNamingTheFolderAndTheHolder() throws IOException {
        Path run = dir.resolve("run");
        try (RunLock first = RunLock.acquire(run, "out_dir")) {
            assertThat(Files.readString(run.resolve(RunLock.FILE))).isEqualTo("pid " + ProcessHandle.current().pid() + "\n");
            assertThatThrownBy(() -> RunLock.acquire(run, "out_dir")).isInstanceOf(RunLock.InUseException.class)
                    .hasMessageStartingWith("out_dir " + run + " is in use")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        try (RunLock again = RunLock.acquire(run, "out_dir")) {
            assertThat(again.removedLeftovers()).isEmpty();
        }
    }

    @Test
    void aStaleLockFileFromAKilledRunDoesNotBlockAndItsTemporaryFilesAreRemoved() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve(RunLock.FILE), "pid 2147483000\n"); // the file survives kill -9; the OS lock does not
        Files.writeString(run.resolve("last.safetensors.tmp"), "half a checkpoint");
        Files.writeString(run.resolve("metrics.jsonl.tmp"), "{\"type\":");
        Files.writeString(run.resolve("last.safetensors"), "kept");
        try (RunLock lock = RunLock.acquire(run, "out_dir")) {
            assertThat(lock.removedLeftovers()).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("last.safetensors.tmp", "metrics.jsonl.tmp");
        }
        assertThat(names(run)).containsExactly(RunLock.FILE, "last.safetensors");
    }

    /** A corpus whose reading fails halfway, as a disk error or an undecodable file would. */
    private static TextCorpus failingHalfway() {
        return new TextCorpus() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public Stream<Document> documents() {
                int[] n = {0};
                return Stream.generate(() -> {
                    if (++n[0] > 30) throw new UncheckedIOException(new IOException("Input/output error"));
                    return new Document("d" + n[0], Fixtures.TEXT.substring(0, 2000));
                }).limit(40);
            }
        };
    }

    @Test
    void aFailedPreparationLeavesNoTemporaryOrPartialFile() throws IOException {
        Path p = dir.resolve("p");
        // countDocuments reads the corpus first and fails there; a corpus that fails only on the second pass:
        TextCorpus corpus = new TextCorpus() {
            int passes;

            @Override
            public String name() {
                return "second-pass-fails";
            }

            @Override
            public Stream<Document> documents() {
                return passes++ == 0 ? Stream.generate(() -> new Document("d", Fixtures.TEXT.substring(0, 2000))).limit(40)
                        : failingHalfway().documents();
            }
        };
        assertThatThrownBy(() -> new DataPreparer(log).prepare(p, corpus, chars, new DataConfig(0.1, DataConfig.Split.AUTO, dir.toString()), "k"))
                .hasMessageContaining("Input/output error");
        assertThat(names(p)).doesNotContain(PreparedData.TRAIN, PreparedData.VAL, PreparedData.TRAIN + ".tmp", PreparedData.VAL + ".tmp",
                PreparedData.META, PreparedData.META + ".tmp");
    }

    @Test
    void temporaryFilesOfAKilledPreparationAreRemovedOnTheNextStart() throws IOException {
        Path p = Files.createDirectories(dir.resolve("p"));
        Files.write(p.resolve(PreparedData.TRAIN + ".tmp"), new byte[4096]);
        Files.write(p.resolve(PreparedData.META + ".tmp"), new byte[10]);
        try (PreparedData d = new DataPreparer(log).prepare(p, TextCorpus.of("t", Fixtures.TEXT), chars,
                new DataConfig(0.1, DataConfig.Split.AUTO, dir.toString()), "k")) {
            assertThat(d.train().count()).isPositive();
        }
        assertThat(names(p)).noneMatch(n -> n.endsWith(".tmp"));
        assertThat(logged.toString()).contains("removed " + p.resolve(PreparedData.TRAIN + ".tmp"));
    }

    @Test
    void aCorruptMetaJsonIsNamedInOneLineAndPrepareRebuildsTheFolder() throws IOException {
        RunConfig c = Fixtures.config(dir, 4, 4, 3e-3, "softmax");
        Path folder;
        try (PreparedData d = TrainingRun.prepare(c, Fixtures.REGISTRY, log)) {
            folder = d.dir();
        }
        Path meta = folder.resolve(PreparedData.META);
        Files.writeString(meta, "{\"corpus\": \"tiny-text\", \"documents\": 4");
        assertThatThrownBy(() -> TrainingRun.prepare(c, Fixtures.REGISTRY, log)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(meta + " is corrupt (not valid JSON: ")
                .hasMessageEndingWith("run nanolab prepare with the same config to rebuild it")
                .hasMessageNotContaining("line:").hasMessageNotContaining("\n");
        try (PreparedData d = TrainingRun.prepare(c, Fixtures.REGISTRY, log, true)) {
            assertThat(d.train().count()).isPositive();
        }
        assertThat(logged.toString()).contains("repairing " + folder);
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(meta.toFile());
    }

    @Test
    void aTruncatedTokenFileIsRebuiltByPrepare() throws IOException {
        RunConfig c = Fixtures.config(dir, 4, 4, 3e-3, "softmax");
        Path train;
        long count;
        try (PreparedData d = TrainingRun.prepare(c, Fixtures.REGISTRY, log)) {
            train = d.train().path();
            count = d.train().count();
        }
        try (var ch = java.nio.channels.FileChannel.open(train, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10);
        }
        assertThatThrownBy(() -> TrainingRun.prepare(c, Fixtures.REGISTRY, log)).hasMessageContaining(train.toString())
                .hasMessageContaining("truncated").hasMessageEndingWith("run nanolab prepare with the same config to rebuild it");
        try (PreparedData d = TrainingRun.prepare(c, Fixtures.REGISTRY, log, true)) {
            assertThat(d.train().count()).isEqualTo(count);
        }
    }
}
