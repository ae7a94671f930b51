package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.training.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's bad-input suite, as a user meets it: each case asserts the exit code, the one line on stderr, and that
 * no file that existed before the command changed.
 */
class BadInputIT {
    @TempDir
    static Path shared;
    /** A finished tiny run, the source of checkpoints that cases copy and damage. */
    static Path trained;
    static Path cfg;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() throws Exception {
        cfg = Nanolab.tinyConfig(shared, 6, 3);
        Nanolab.Result r = Nanolab.run(shared, "train", "--config", cfg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        trained = shared.resolve("run");
    }

    /** Every regular file under a folder and the hash of its bytes. */
    static Map<Path, String> snapshot(Path root) throws Exception {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList())
                out.put(p, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
        return out;
    }

    /** stderr without the JVM's own incubator-module warning. */
    static String errLines(Nanolab.Result r) {
        return r.err().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n");
    }

    /** Runs a command that must fail with {@code code} and exactly one line starting with {@code start}, changing no file. */
    private String fails(int code, String start, String... args) throws Exception {
        Map<Path, String> before = snapshot(dir), beforeShared = snapshot(shared);
        Nanolab.Result r = Nanolab.run(dir, args);
        String err = errLines(r);
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(err.lines().count()).as("one line: %s", err).isEqualTo(1);
        assertThat(err).startsWith(start);
        assertThat(err).doesNotContainPattern("(?m)^[A-Z][a-z]{2} \\d{1,2}, \\d{4} ");  // no java.util.logging header line
        Map<Path, String> after = snapshot(dir);
        after.keySet().retainAll(before.keySet());
        assertThat(after).as("no existing file changed").isEqualTo(before);
        assertThat(snapshot(shared)).isEqualTo(beforeShared);
        return err.strip();
    }

    /** A copy of the trained run's last checkpoint: its weights file and, beside it, its optimizer-state file. */
    private Path copyOfLast(String name) throws IOException {
        Files.copy(trained.resolve("last.state.safetensors"), dir.resolve(name.replace(".safetensors", ".state.safetensors")));
        return Files.copy(trained.resolve("last.safetensors"), dir.resolve(name));
    }

    private static void flipByteOf(Path file, String tensor) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long h = len.getLong(0);
            ByteBuffer hb = ByteBuffer.allocate((int) h);
            ch.read(hb, 8);
            var header = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hb.array());
            long at = 8 + h + header.get(tensor).get("data_offsets").get(0).asLong() + 3;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x7f)).rewind();
            ch.write(b, at);
        }
    }

    @Test
    void aMistypedCommand() throws Exception {
        assertThat(fails(2, "nanolab: unknown command 'trian'; did you mean train?", "trian", "--config", cfg.toString()))
                .isEqualTo("nanolab: unknown command 'trian'; did you mean train?");
    }

    @Test
    void zeroSamples() throws Exception {
        fails(1, "nanolab: --num-samples must be at least 1, got 0", "sample", "--checkpoint", trained.resolve("best.safetensors").toString(), "--num-samples", "0");
    }

    @Test
    void negativeMaxTokens() throws Exception {
        fails(1, "nanolab: --max-tokens must be 0 (all tokens) or more, got -1", "eval", "--checkpoint", trained.resolve("best.safetensors").toString(), "--max-tokens", "-1");
    }

    @Test
    void aCheckpointPathThatIsAFolder() throws Exception {
        fails(1, "nanolab: checkpoint " + trained + " is a folder, not a checkpoint file", "sample", "--checkpoint", trained.toString());
    }

    @Test
    void aFlippedByteInAWeightIsNamedByEvalSampleAndResume() throws Exception {
        Path bad = copyOfLast("bad.safetensors");
        String tensor = "transformer.h.1.mlp.c_fc.weight";
        flipByteOf(bad, tensor);
        String line = "nanolab: checkpoint " + bad + " is corrupt: tensor " + tensor + " does not match its checksum";
        assertThat(fails(1, line, "eval", "--checkpoint", bad.toString())).isEqualTo(line);
        assertThat(fails(1, line, "sample", "--checkpoint", bad.toString())).isEqualTo(line);
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.copy(bad, run.resolve("last.safetensors"));
        Files.copy(bad, run.resolve("best.safetensors"));
        Path c = Files.writeString(dir.resolve("c.yaml"), Files.readString(cfg).replace(shared.resolve("run").toString(), run.toString()));
        String resume = fails(1, "nanolab: checkpoint " + run.resolve("best.safetensors") + " is corrupt: tensor " + tensor,
                "train", "--config", c.toString(), "--resume");
        assertThat(resume).endsWith("does not match its checksum");
    }

    @Test
    void aFlippedByteInTheOptimizerState() throws Exception {
        Path bad = copyOfLast("opt.safetensors"), state = dir.resolve("opt.state.safetensors");
        flipByteOf(state, "optimizer.transformer.h.0.mlp.c_fc.weight.exp_avg");
        fails(1, "nanolab: checkpoint " + state + " is corrupt: tensor optimizer.transformer.h.0.mlp.c_fc.weight.exp_avg does not match its checksum",
                "eval", "--checkpoint", bad.toString());
    }

    @Test
    void aDuplicateYamlKey() throws Exception {
        Path c = Files.writeString(dir.resolve("dup.yaml"), Files.readString(cfg) + "seed: 3\nseed: 4\n");
        fails(1, "nanolab: config file " + c + ": duplicate key 'seed' (line ", "train", "--config", c.toString());
    }

    @Test
    void yamlNanIsParsedThenRangeChecked() throws Exception {
        Path c = Files.writeString(dir.resolve("nan.yaml"), Files.readString(cfg).replace("train: {", "train: {grad_clip: .nan, "));
        fails(1, "nanolab: train.grad_clip: NaN is outside the allowed range [0, ∞]", "train", "--config", c.toString());
    }

    @Test
    void aConfigThatIsNotUtf8() throws Exception {
        Path c = Files.write(dir.resolve("latin1.yaml"), "seed: 1\nout_dir: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        fails(1, "nanolab: config file " + c + " is not UTF-8 text: invalid byte 0xe9 at offset 20", "train", "--config", c.toString());
    }

    @Test
    void anEvalFileThatIsNotUtf8() throws Exception {
        Path f = Files.write(dir.resolve("latin1.txt"), "public int caf\u00e9;\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        fails(1, "nanolab: --file " + f + " is not UTF-8 text: invalid byte 0xe9 at offset 14", "eval", "--checkpoint",
                trained.resolve("best.safetensors").toString(), "--file", f.toString());
    }

    @Test
    void anOutDirThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "a file where the run folder should go");
        fails(1, "nanolab: cannot create out_dir " + file + ": ", "train", "--config", cfg.toString(), "--set", "out_dir=" + file);
    }

    @Test
    void aPluginPathThatIsAFile() throws Exception {
        Path jar = Files.writeString(dir.resolve("plugin.jar"), "x");
        fails(1, "nanolab: --plugin-path " + jar + " is a file, not a folder", "--plugin-path", jar.toString(), "plugins");
    }

    @Test
    void aMalformedMetaJsonIsNamedAndPrepareRepairsIt() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path c = Files.writeString(dir.resolve("c.yaml"), Files.readString(cfg).replace(shared.resolve("data").toString(), data.toString())
                .replace(shared.resolve("run").toString(), dir.resolve("run").toString()));
        Nanolab.Result prep = Nanolab.run(dir, "prepare", "--config", c.toString());
        assertThat(prep.code()).as(prep.err()).isZero();
        Path meta;
        try (Stream<Path> s = Files.walk(data)) {
            meta = s.filter(p -> p.getFileName().toString().equals("meta.json")).findFirst().orElseThrow();
        }
        Files.writeString(meta, "{\"corpus\": ");
        String line = fails(1, "nanolab: " + meta + " is corrupt (not valid JSON: ", "train", "--config", c.toString());
        assertThat(line).endsWith("run nanolab prepare with the same config to rebuild it").doesNotContain("line:").doesNotContain("[Source");
        Nanolab.Result repaired = Nanolab.run(dir, "prepare", "--config", c.toString());
        assertThat(repaired.code()).as(repaired.err()).isZero();
        assertThat(repaired.out()).contains("repairing " + meta.getParent());
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(meta.toFile());
    }

    @Test
    void aModelTooBigForTheHeapIsRefusedBeforeAllocatingWithTheFlag() throws Exception {
        Path c = Files.writeString(dir.resolve("big.yaml"), Files.readString(cfg).replace("n_layer: 2, n_head: 2, n_embd: 32", "n_layer: 24, n_head: 16, n_embd: 2048")
                .replace(shared.resolve("run").toString(), dir.resolve("run").toString()));
        ProcessBuilder pb = Nanolab.builder(dir, "train", "--config", c.toString());
        pb.environment().put("NANOLAB_JAVA_OPTS", "-Xmx256m");
        Path out = dir.resolve("o.txt"), err = dir.resolve("e.txt");
        long t0 = System.nanoTime();
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String e = errLines(new Nanolab.Result(p.exitValue(), "", Files.readString(err)));
        assertThat(p.exitValue()).as(e).isEqualTo(1);
        assertThat(e.lines().count()).as(e).isEqualTo(1);
        assertThat(e).startsWith("nanolab: this run does not fit in memory: it needs about ").containsPattern("the Java heap is \\d+ MiB")
                .contains("raise it with NANOLAB_JAVA_OPTS=-Xmx");
        assertThat((System.nanoTime() - t0) / 1e9).as("refused at once, not after a 30 s OutOfMemoryError").isLessThan(60);
    }

    @Test
    void aSecondTrainIntoTheSameOutDirFailsAtOnceAndAKilledRunsLockDoesNotBlockTheResume() throws Exception {
        Path c = Nanolab.tinyConfig(dir, 200, 20);
        // The first run must still be running when the second starts: it gets far more iterations than it will live.
        Process first = Nanolab.builder(dir, "train", "--config", c.toString(), "--set", "train.max_iters=1000000")
                .redirectOutput(dir.resolve("first.out").toFile()).redirectError(dir.resolve("first.err").toFile()).start();
        Path metrics = dir.resolve("run/metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && !Files.exists(dir.resolve("run/last.safetensors"))) Thread.sleep(50);
        String config = Files.readString(dir.resolve("run/config.yaml"));
        Nanolab.Result second = Nanolab.run(dir, "train", "--config", c.toString(), "--set", "train.max_iters=5");
        String err = errLines(second);
        assertThat(second.code()).as(second.err()).isEqualTo(1);
        assertThat(err.lines().count()).isEqualTo(1);
        assertThat(err).startsWith("nanolab: out_dir " + dir.resolve("run") + " is in use by another nanolab run (pid " + first.pid() + ",");
        assertThat(Files.readString(dir.resolve("run/config.yaml"))).as("the second run wrote nothing").isEqualTo(config);
        first.destroyForcibly(); // kill -9: the lock file stays, the OS lock goes
        first.waitFor();
        assertThat(dir.resolve("run/.nanolab.lock")).exists();
        Files.writeString(dir.resolve("run/last.safetensors.tmp"), "half-written by the killed run");
        long killedAt = Checkpoint.read(dir.resolve("run/last.safetensors"), n -> {}).state().step();
        long until = killedAt + 40;
        Nanolab.Result resumed = Nanolab.run(dir, "train", "--config", c.toString(), "--resume", "--set", "train.max_iters=" + until);
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("removed " + dir.resolve("run/last.safetensors.tmp"));
        assertThat(dir.resolve("run/last.safetensors.tmp")).doesNotExist();
        assertThat(Checkpoint.read(dir.resolve("run/last.safetensors"), n -> {}).state().step()).isEqualTo(until);
        List<String> lines = Files.readAllLines(metrics);
        assertThat(lines).isNotEmpty();
    }
}
