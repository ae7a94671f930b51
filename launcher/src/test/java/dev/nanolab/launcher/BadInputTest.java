package dev.nanolab.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.config.ConfigException;
import dev.nanolab.launcher.config.ConfigBinder;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.training.train.MemoryEstimate;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: bad input the launcher sees before any plugin is needed, each one line with its reason. */
class BadInputTest {
    @TempDir
    Path dir;

    private static void assertOneLine(Cli.Result r, int code, String line) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).isEqualTo(line + System.lineSeparator());
    }

    @Test
    void aMistypedCommandIsOneLineWithTheNearestCommand() {
        assertOneLine(Cli.run("trian", "--preset", "cpu-demo"), 2, "nanolab: unknown command 'trian'; did you mean train?");
        assertOneLine(Cli.run("sampel"), 2, "nanolab: unknown command 'sampel'; did you mean sample?");
        Cli.Result far = Cli.run("xyzzy");
        assertThat(far.code()).isEqualTo(2);
        assertThat(far.err()).startsWith("nanolab: unknown command 'xyzzy'; the commands are ").contains("train").doesNotContain("\n\n");
        assertThat(far.err().strip()).doesNotContain("\n");
    }

    @Test
    void zeroSamplesAndNegativeMaxTokensAreRejected() {
        Path ck = dir.resolve("never-read.safetensors");
        assertOneLine(Cli.run("sample", "--checkpoint", ck.toString(), "--num-samples", "0"), 1, "nanolab: --num-samples must be at least 1, got 0");
        assertOneLine(Cli.run("sample", "--checkpoint", ck.toString(), "--max-new-tokens", "-5"), 1, "nanolab: --max-new-tokens must be at least 1, got -5");
        assertOneLine(Cli.run("sample", "--checkpoint", ck.toString(), "--top-p", "1.5"), 1, "nanolab: --top-p must be in (0, 1], got 1.5");
        assertOneLine(Cli.run("eval", "--checkpoint", ck.toString(), "--max-tokens", "-1"), 1, "nanolab: --max-tokens must be 0 (all tokens) or more, got -1");
        assertOneLine(Cli.run("eval", "--checkpoint", ck.toString(), "--file", dir.toString()), 1, "nanolab: --file " + dir + " is a folder, not a file");
        assertThat(ck).doesNotExist();
    }

    @Test
    void aPluginPathThatIsAFileOrMissingIsNamedAsSuch() throws Exception {
        Path jar = Files.writeString(dir.resolve("x.jar"), "not a folder");
        assertOneLine(Cli.run("plugins", "--plugin-path", jar.toString()), 1,
                "nanolab: --plugin-path " + jar + " is a file, not a folder: give the folder that holds the plugin jars (" + dir + ")");
        assertOneLine(Cli.run("plugins", "--plugin-path", dir.resolve("nope").toString()), 1, "nanolab: --plugin-path " + dir.resolve("nope") + " does not exist");
    }

    @Test
    void aDuplicateYamlKeyIsAnErrorNamingTheKey() throws Exception {
        Path f = Files.writeString(dir.resolve("dup.yaml"), "seed: 1\nmodel:\n  n_layer: 4\n  n_head: 4\n  n_layer: 6\n");
        assertThatThrownBy(() -> ConfigTree.read(f)).isInstanceOf(ConfigException.class)
                .hasMessage("config file " + f + ": duplicate key 'model.n_layer' (line 5); a key may appear once in a map");
        Path top = Files.writeString(dir.resolve("top.yaml"), "seed: 1\nseed: 2\n");
        assertThatThrownBy(() -> ConfigTree.read(top)).hasMessage("config file " + top + ": duplicate key 'seed' (line 2); a key may appear once in a map");
    }

    @Test
    void aConfigFileThatIsNotUtf8NamesTheFileAndTheByte() throws Exception {
        Path f = Files.write(dir.resolve("latin1.yaml"), "seed: 1\nout_dir: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ConfigTree.read(f)).isInstanceOf(ConfigException.class)
                .hasMessage("config file " + f + " is not UTF-8 text: invalid byte 0xe9 at offset 20");
    }

    public record Knobs(@dev.nanolab.api.config.Range(min = 0) double clip, double free, @dev.nanolab.api.config.Range(min = 0, max = 1) float p) {
        public Knobs() {
            this(1, 0, 0.5f);
        }
    }

    private static Knobs bind(String yaml) {
        return new ConfigBinder(ConfigBinderTest.REGISTRY).bind(ConfigTree.parse(yaml, "test"), Knobs.class);
    }

    @Test
    void yamlNanAndInfParseAndAreThenRangeChecked() {
        assertThat(bind("clip: .inf").clip()).isInfinite();
        assertThat(bind("free: -.inf").free()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> bind("clip: .nan")).isInstanceOf(ConfigException.class).hasMessage("clip: NaN is outside the allowed range [0, ∞]");
        assertThatThrownBy(() -> bind("p: .inf")).hasMessage("p: Infinity is outside the allowed range [0, 1]");
        assertThatThrownBy(() -> bind("clip: -.inf")).hasMessage("clip: -Infinity is outside the allowed range [0, ∞]");
        assertThatThrownBy(() -> bind("free: .NaN")).hasMessage("free: NaN is not allowed; give a number");
    }

    @Test
    void fileSystemErrorsCarryTheirReasonNotJustThePath() {
        assertThat(ErrorLines.of(new FileAlreadyExistsException("runs/x"))).isEqualTo("runs/x: already exists as a file, where a folder is needed");
        assertThat(ErrorLines.of(new NoSuchFileException("data/y/meta.json"))).isEqualTo("data/y/meta.json: does not exist (or a folder on its path does not)");
        assertThat(ErrorLines.of(new java.nio.file.AccessDeniedException("/root/z"))).isEqualTo("/root/z: permission denied");
        assertThat(ErrorLines.of(new java.nio.charset.MalformedInputException(1))).isEqualTo("input is not valid UTF-8 text (Input length = 1)");
    }

    @Test
    void outOfMemoryNamesTheHeapAndTheFlag() {
        String line = MemoryEstimate.outOfMemory(1L << 30);
        assertThat(line).startsWith("out of memory: the Java heap is 1.0 GiB").contains("raise it with NANOLAB_JAVA_OPTS=-Xmx").doesNotContain("\n");
    }

    @Test
    void aSetWithAnEmptyKeySegmentIsOneLineNotACrash() {
        // Found by ConfigBinderFuzzTest: '--set .=1' threw ArrayIndexOutOfBoundsException.
        for (String bad : new String[] {".=1", "a..b=2", "train.=3"})
            assertThatThrownBy(() -> ConfigTree.override(ConfigTree.parse("seed: 1", "t"), java.util.List.of(bad)))
                    .isInstanceOf(ConfigException.class).hasMessage("--set needs a dotted key such as train.lr=3e-4, got '" + bad + "'");
    }
}
