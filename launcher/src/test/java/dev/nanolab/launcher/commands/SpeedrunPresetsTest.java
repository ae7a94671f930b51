package dev.nanolab.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.attention.AttentionPlugin;
import dev.nanolab.cpu.CpuPlugin;
import dev.nanolab.datasets.DatasetsPlugin;
import dev.nanolab.launcher.config.ConfigBinder;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.models.ModelsPlugin;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.models.modern.ModernGptConfig;
import dev.nanolab.optimizers.Muon;
import dev.nanolab.optimizers.OptimizersPlugin;
import dev.nanolab.tokenizers.TokenizersPlugin;
import dev.nanolab.training.config.Presets;
import dev.nanolab.training.config.RunConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The speedrun presets race on equal terms, and every ablation piece binds to a config that differs from the recipe. */
class SpeedrunPresetsTest {
    static final ComponentRegistry REGISTRY = ComponentRegistry.of(new CpuPlugin(), new TokenizersPlugin(), new AttentionPlugin(),
            new ModelsPlugin(), new OptimizersPlugin(), new DatasetsPlugin());
    static final List<String> PIECES = List.copyOf(AblationPieces.PIECES.keySet());

    static RunConfig bind(ObjectNode tree) {
        return new ConfigBinder(REGISTRY).bind(tree, RunConfig.class);
    }

    static ObjectNode preset(String name) {
        return ConfigTree.parse(Presets.yaml(name), name);
    }

    @Test
    void baselineAndModernShareDataShapeBatchAndTarget() {
        RunConfig base = bind(preset("speedrun-baseline")), modern = bind(preset("speedrun-modern"));
        assertThat(modern.dataset()).isEqualTo(base.dataset());
        assertThat(modern.tokenizer()).isEqualTo(base.tokenizer());
        assertThat(modern.data()).isEqualTo(base.data());
        assertThat(modern.train().batchSize()).isEqualTo(base.train().batchSize());
        assertThat(modern.train().maxIters()).isEqualTo(base.train().maxIters());
        assertThat(modern.train().targetValLoss()).isPositive().isEqualTo(base.train().targetValLoss());
        GptConfig g = (GptConfig) base.model().options();
        ModernGptConfig m = (ModernGptConfig) modern.model().options();
        assertThat(List.of(m.nLayer(), m.nHead(), m.nEmbd(), m.blockSize())).isEqualTo(List.of(g.nLayer(), g.nHead(), g.nEmbd(), g.blockSize()));
        // The document boundary is the trained BPE's <|endoftext|>, its last id.
        assertThat(m.documentBoundary()).isEqualTo(2047);
        assertThat(m.windowWarmupIters()).isEqualTo(modern.train().maxIters());
        Muon.Config muon = (Muon.Config) modern.paramGroups().optimizers().getFirst().options();
        assertThat(List.of(muon.momentumStart(), muon.momentum(), (double) muon.momentumWarmupSteps())).isEqualTo(List.of(0.85, 0.95, 300.0));
    }

    @ParameterizedTest
    @FieldSource("PIECES")
    void everyAblationPieceBindsAndChangesTheRecipe(String piece) {
        RunConfig modern = bind(preset("speedrun-modern"));
        RunConfig without = bind(ConfigTree.override(preset("speedrun-modern"), AblationPieces.PIECES.get(piece)));
        assertThat(Map.of("model", without.model(), "groups", without.paramGroups()))
                .as(piece).isNotEqualTo(Map.of("model", modern.model(), "groups", modern.paramGroups()));
    }
}
