package dev.nanolab.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.config.DefaultComponent;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.launcher.config.ConfigBinder;
import dev.nanolab.launcher.config.ConfigTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding YAML and --set overrides onto typed records, and every way a config can be wrong. */
class ConfigBinderTest {
    public enum Mode { FAST, VERY_SLOW }

    public record Window(@Range(min = 1) int size, float temperature) {
        public Window() {
            this(64, 1f);
        }
    }

    public record Train(@Range(min = 1) int batchSize, @Range(min = 0) double lr,
                        @Range(min = 0, max = 1, maxOpen = true) float dropout, boolean decayLr, Mode mode, List<Integer> steps) {
        public Train() {
            this(12, 1e-3, 0f, true, Mode.FAST, List.of(1000));
        }
    }

    public record Run(long seed, String outDir, Train train,
                      @DefaultComponent("plain") ComponentRef<AttentionVariant> attention) {
        public Run() {
            this(1337, "runs/x", new Train(), null);
        }
    }

    static final ComponentRegistry REGISTRY = ComponentRegistry.of(ComponentKind.builtIn(), List.of(
            ComponentSpec.of(ComponentKind.ATTENTION, "plain", "test", dev.nanolab.api.config.NoOptions.class,
                    c -> AttentionVariant.ofNormalizer(F::softmax)),
            ComponentSpec.of(ComponentKind.ATTENTION, "windowed", "test", Window.class,
                    c -> AttentionVariant.ofNormalizer(F::softmax))));

    @TempDir
    Path dir;

    private Run bind(String yaml, String... sets) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        ObjectNode tree = ConfigTree.override(ConfigTree.read(f), List.of(sets));
        return new ConfigBinder(REGISTRY).bind(tree, Run.class);
    }

    /** A fuzzing finding: an empty list element reached List.copyOf as a NullPointerException. */
    @Test
    void anEmptyListElementIsOneLineNamingTheElement() {
        assertThatThrownBy(() -> bind("train:\n  steps: [1, null]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("train.steps[1]").hasMessageContaining("a list element cannot be empty")
                .hasMessageNotContaining("\n");
    }

    @Test
    void absentKeysKeepTheRecordDefaults() throws Exception {
        Run r = bind("seed: 7\n");
        assertThat(r.seed()).isEqualTo(7);
        assertThat(r.train()).isEqualTo(new Train());
        assertThat(r.attention().name()).isEqualTo("plain");
    }

    @Test
    void nestedKeysOverrideOnlyWhatTheyName() throws Exception {
        Run r = bind("train:\n  batch_size: 64\n  lr: 3e-4\n  mode: very-slow\n  steps: [1, 2]\n", "train.dropout=0.2");
        assertThat(r.train()).isEqualTo(new Train(64, 3e-4, 0.2f, true, Mode.VERY_SLOW, List.of(1, 2)));
    }

    @Test
    void componentsByNameOrMapAndTheirOptions() throws Exception {
        Run r = bind("attention: windowed\n", "attention.size=16");
        assertThat(r.attention().name()).isEqualTo("windowed");
        assertThat(r.attention().options(Window.class)).isEqualTo(new Window(16, 1f));
        Run r2 = bind("attention: {name: windowed, temperature: 2}\n");
        assertThat(r2.attention().options(Window.class)).isEqualTo(new Window(64, 2f));
        Run r3 = bind("attention: {name: windowed, size: 8}\n", "attention=plain");
        assertThat(r3.attention().name()).isEqualTo("plain");
    }

    @Test
    void anUnknownKeySuggestsTheNearestValidKey() {
        assertThatThrownBy(() -> bind("train:\n  batch_sise: 3\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("train.batch_sise: unknown key; did you mean batch_size?");
        assertThatThrownBy(() -> bind("", "train.lrr=0.1")).hasMessageContaining("train.lrr: unknown key; did you mean lr?");
        assertThatThrownBy(() -> bind("", "attention.sise=3", "attention=windowed"))
                .hasMessageContaining("attention.sise: unknown key; did you mean size?");
    }

    @Test
    void aWrongTypeNamesTheKey() {
        assertThatThrownBy(() -> bind("train: {batch_size: twelve}")).hasMessage("train.batch_size: expected an integer, got 'twelve'");
        assertThatThrownBy(() -> bind("train: {batch_size: 1.5}")).hasMessage("train.batch_size: expected an integer, got 1.5");
        assertThatThrownBy(() -> bind("train: {decay_lr: maybe}")).hasMessage("train.decay_lr: expected true or false, got 'maybe'");
        assertThatThrownBy(() -> bind("train: {mode: medium}")).hasMessage("train.mode: expected one of fast, very-slow, got 'medium'");
        assertThatThrownBy(() -> bind("train: 3")).hasMessageContaining("train: expected a map");
    }

    @Test
    void aValueOutOfRangeNamesTheKeyAndTheRange() {
        assertThatThrownBy(() -> bind("", "train.dropout=1.0")).hasMessage("train.dropout: 1.0 is outside the allowed range [0, 1)");
        assertThatThrownBy(() -> bind("", "train.batch_size=0")).hasMessage("train.batch_size: 0 is outside the allowed range [1, ∞]");
        assertThatThrownBy(() -> bind("", "attention=windowed", "attention.size=0"))
                .hasMessage("attention.size: 0 is outside the allowed range [1, ∞]");
    }

    @Test
    void anUnknownComponentSuggestsTheNearestName() {
        assertThatThrownBy(() -> bind("attention: windowd")).hasMessageStartingWith("attention: unknown attention 'windowd'; did you mean 'windowed'?");
    }

    @Test
    void badFilesAreNamed() {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ConfigTree.read(missing)).hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> bind("train: [unclosed")).hasMessageContaining("is not valid YAML");
        assertThatThrownBy(() -> bind("", "novalue")).hasMessageContaining("--set needs key=value");
    }

    @Test
    void boundConfigsRoundTripThroughTheirTree() throws Exception {
        Run r = bind("seed: 3\nattention: {name: windowed, size: 5}\ntrain: {steps: [4]}\n");
        ObjectNode tree = (ObjectNode) ConfigBinder.toTree(r);
        assertThat(new ConfigBinder(REGISTRY).bind(tree, Run.class)).isEqualTo(r);
        assertThat(ConfigTree.toYaml(tree)).contains("name: \"windowed\"").contains("batch_size: 12");
    }
}
