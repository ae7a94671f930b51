package dev.nanolab.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.attention.AttentionPlugin;
import dev.nanolab.cpu.CpuPlugin;
import dev.nanolab.datasets.DatasetsPlugin;
import dev.nanolab.launcher.config.ConfigBinder;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.models.ModelsPlugin;
import dev.nanolab.models.bigram.BigramConfig;
import dev.nanolab.models.lstm.LstmConfig;
import dev.nanolab.models.mlp.MlpConfig;
import dev.nanolab.models.wavenet.WaveNetConfig;
import dev.nanolab.optimizers.OptimizersPlugin;
import dev.nanolab.tokenizers.TokenizersPlugin;
import dev.nanolab.training.config.Presets;
import dev.nanolab.training.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The architectures' configs as the launcher binds them, with the built-in plugins: every preset, and attention keys. */
class ArchitectureConfigTest {
    static final ComponentRegistry REGISTRY = ComponentRegistry.of(new CpuPlugin(), new TokenizersPlugin(), new AttentionPlugin(),
            new OptimizersPlugin(), new ModelsPlugin(), new DatasetsPlugin());

    static final java.util.List<String> PRESETS = Presets.NAMES;

    private static RunConfig bind(String yaml) {
        return new ConfigBinder(REGISTRY).bind(ConfigTree.parse(yaml, "test config"), RunConfig.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "wavenet", "mlp", "bigram"})
    void anAttentionVariantOnAnArchitectureWithoutAttentionIsAConfigError(String name) {
        assertThatThrownBy(() -> bind("model: {name: " + name + ", attention: softmax1}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("model.attention: unknown key");
        assertThatThrownBy(() -> new ConfigBinder(REGISTRY).bind(ConfigTree.override(ConfigTree.parse("model: " + name + "\n", "test"),
                java.util.List.of("model.attention=softmax1")), RunConfig.class)).hasMessageStartingWith("model.attention: unknown key");
    }

    @Test
    void theSameKeyOnGptBinds() {
        assertThat(bind("model: {name: gpt, attention: softmax1}\n").model().name()).isEqualTo("gpt");
    }

    @Test
    void optionsBindOntoTheRecordsAndAbsentKeysKeepTheirDefaults() {
        assertThat(bind("model: {name: lstm, n_layer: 3}\n").model().options()).isEqualTo(new LstmConfig(3, 192, 64, 0f));
        assertThat(bind("model: {name: wavenet, block_size: 16, layer_norm: true}\n").model().options()).isEqualTo(new WaveNetConfig(16, 144, 144, true));
        assertThat(bind("model: {name: mlp, batch_norm: false}\n").model().options()).isEqualTo(new MlpConfig(64, 12, 576, 2, false, 20));
        assertThat(bind("model: bigram\n").model().options()).isEqualTo(new BigramConfig());
        assertThatThrownBy(() -> bind("model: {name: wavenet, block_size: 48}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("model").hasMessageContaining("block_size 48 must be a power of two");
    }

    @ParameterizedTest
    @FieldSource("PRESETS")
    void everyPresetBinds(String preset) {
        RunConfig c = bind(Presets.yaml(preset));
        assertThat(c.outDir()).isEqualTo("runs/" + preset);
    }

    @Test
    void theComparisonPresetsShareTheCpuDemoData() {
        RunConfig demo = bind(Presets.yaml("cpu-demo"));
        for (String preset : new String[] {"lstm-demo", "wavenet-demo", "mlp-demo", "bigram"}) {
            RunConfig c = bind(Presets.yaml(preset));
            assertThat(c.dataset()).as(preset).isEqualTo(demo.dataset());
            assertThat(c.tokenizer()).as(preset).isEqualTo(demo.tokenizer());
            assertThat(c.train()).as(preset).isEqualTo(demo.train());
            assertThat(c.schedule().name()).as(preset).isEqualTo(demo.schedule().name());
        }
        assertThat(bind(Presets.yaml("lstm-demo")).model().options()).isEqualTo(new LstmConfig());
        assertThat(bind(Presets.yaml("wavenet-demo")).model().options()).isEqualTo(new WaveNetConfig());
        assertThat(bind(Presets.yaml("mlp-demo")).model().options()).isEqualTo(new MlpConfig());
    }
}
