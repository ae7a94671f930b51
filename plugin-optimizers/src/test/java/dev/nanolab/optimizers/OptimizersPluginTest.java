package dev.nanolab.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every optimizer and schedule is registered and can be created from its defaults. */
class OptimizersPluginTest {
    final ComponentRegistry registry = ComponentRegistry.of(new OptimizersPlugin());

    @Test
    void registersEveryOptimizerAndSchedule() {
        assertThat(registry.specs(ComponentKind.OPTIMIZER)).extracting(ComponentSpec::name)
                .containsExactly("adam", "adamw", "lion", "muon", "rmsprop", "sgd");
        assertThat(registry.specs(ComponentKind.SCHEDULE)).extracting(ComponentSpec::name)
                .containsExactly("constant", "step", "warmup-cosine", "warmup-stable-decay");
        for (var spec : registry.specs(ComponentKind.OPTIMIZER)) {
            OptimizerFactory f = registry.createDefault(ComponentKind.OPTIMIZER, spec.name());
            assertThat(f.learningRate()).as(spec.name()).isPositive();
            assertThat(f.create(List.of()).state()).isEmpty();
        }
        for (var spec : registry.specs(ComponentKind.SCHEDULE))
            assertThat(registry.createDefault(ComponentKind.SCHEDULE, spec.name()).lr(0, 1.0)).as(spec.name()).isPositive();
    }

    @Test
    void muonFallsBackToAdamWByDefaultAndToWhatTheConfigNames() {
        Muon.Factory byDefault = (Muon.Factory) registry.createDefault(ComponentKind.OPTIMIZER, "muon");
        assertThat(byDefault.fallback()).isInstanceOf(AdamW.Factory.class);
        Muon.Config d = new Muon.Config();
        var withLion = new Muon.Config(d.lr(), d.momentum(), d.nesterov(), d.nsSteps(), d.eps(), d.weightDecay(), d.fallbackNames(),
                new ComponentRef<>(ComponentKind.OPTIMIZER, "lion", new Lion.Config()));
        Muon.Factory f = (Muon.Factory) registry.spec(ComponentKind.OPTIMIZER, "muon").create(withLion);
        assertThat(f.fallback()).isInstanceOf(Lion.Factory.class);
    }
}
