package dev.nanolab.examples.quiet;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.attention.ScoreNormalizer;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.api.tensor.Tensor;

/**
 * An attention variant as a researcher would write one: "quiet attention" (softmax1,
 * {@code exp(x_i) / (1 + Σ_j exp(x_j))}) with a temperature, expressed as a function of the score rows. No kernel and
 * no backward code: autograd differentiates the normaliser.
 *
 * <p>Use it with {@code --set model.attention=quiet-example} or {@code model: {attention: {name: quiet-example,
 * temperature: 2}}}.
 */
public final class QuietAttentionPlugin extends AbstractModule implements Plugin {
    /** @param temperature scores are divided by it before normalising */
    public record Config(@Doc("divides the scores before normalising") @Range(min = 0, minOpen = true) float temperature) {
        public Config() {
            this(1f);
        }
    }

    static ScoreNormalizer quiet(float temperature) {
        return scores -> {
            Tensor s = temperature == 1f ? scores : scores.mul(1f / temperature);
            // Shift by max(max_j x_j, 0), as softmax1 must: the "1" is exp(0 − m) and stays on the same scale.
            Tensor m = s.max(-1, true).clamp(0f, Float.POSITIVE_INFINITY).detach();
            Tensor e = s.sub(m).exp();
            return e.div(e.sum(-1, true).add(m.neg().exp()));
        };
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    /** The one component: the method's parameters could ask the injector for anything else the variant needs. */
    @ProvidesIntoSet
    public ComponentSpec<?, AttentionVariant> quietExample() {
        return ComponentSpec.of(ComponentKind.ATTENTION, "quiet-example",
                "softmax1 with a temperature, written as a score normaliser (example plugin)", Config.class,
                c -> AttentionVariant.ofNormalizer(quiet(c.temperature())));
    }
}
