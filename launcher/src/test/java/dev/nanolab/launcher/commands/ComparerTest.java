package dev.nanolab.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.experiment.Variation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How compare reads --vary and names its variants. */
class ComparerTest {
    @Test
    void varyIsAKeyAndCommaSeparatedValuesKeepingFlowCollectionsWhole() {
        Variation v = Comparer.parseVary("model.attention=softmax, softmax1");
        assertThat(v.key()).isEqualTo("model.attention");
        assertThat(v.values()).containsExactly("softmax", "softmax1");
        assertThat(Comparer.parseVary("probes=[kurtosis,max-abs],[grad-norm]").values()).containsExactly("[kurtosis,max-abs]", "[grad-norm]");
        assertThat(Comparer.parseVary("model={name: gpt, n_layer: 2},{name: gpt, n_layer: 4}").values()).hasSize(2);
        assertThatThrownBy(() -> Comparer.parseVary("model.attention")).hasMessageContaining("--vary needs KEY=VALUE1,VALUE2");
        assertThatThrownBy(() -> Comparer.parseVary("model.attention=a,,b")).hasMessageContaining("an empty value");
        assertThatThrownBy(() -> Comparer.parseVary("model.attention=a,a")).hasMessageContaining("repeats a value");
    }

    @Test
    void everyCombinationIsAVariantTheFirstBeingTheBaseline() {
        var combos = Comparer.combinations(List.of(new Variation("model.attention", List.of("softmax", "softmax1")),
                new Variation("optimizer.lr", List.of("1e-3", "3e-3"))));
        assertThat(combos).containsExactly(
                Map.of("model.attention", "softmax", "optimizer.lr", "1e-3"), Map.of("model.attention", "softmax", "optimizer.lr", "3e-3"),
                Map.of("model.attention", "softmax1", "optimizer.lr", "1e-3"), Map.of("model.attention", "softmax1", "optimizer.lr", "3e-3"));
        assertThat(Comparer.label(combos.get(1))).isEqualTo("attention=softmax lr=3e-3");
        assertThat(Comparer.slug(Comparer.label(combos.get(1)))).isEqualTo("attention=softmax_lr=3e-3");
        assertThat(Comparer.label(Map.of("model.attention", "softmax1"))).isEqualTo("softmax1");
        assertThat(Comparer.slug("[a, b]/c")).isEqualTo("_a_b_c");
        assertThat(Comparer.combinations(List.of())).containsExactly(Map.of());
    }
}
