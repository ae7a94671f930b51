package dev.nanolab.attention;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;


import static dev.nanolab.api.plugin.ComponentKind.ATTENTION;

/** The built-in attention variants. */
public final class AttentionPlugin extends AbstractModule implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @ProvidesIntoSet
    public ComponentSpec<?, AttentionVariant> softmax() {
        return ComponentSpec.of(ATTENTION, "softmax", "standard causal softmax attention (fused kernel)",
                NoOptions.class, c -> spec -> new FusedAttention(spec, 0, Float.NEGATIVE_INFINITY, false));
    }

    @ProvidesIntoSet
    public ComponentSpec<?, AttentionVariant> softmax1() {
        return ComponentSpec.of(ATTENTION, "softmax1", "quiet attention: exp(x_i)/(1+Σexp(x_j)), heads may attend to nothing (fused)",
                NoOptions.class, c -> spec -> new FusedAttention(spec, 0, 0f, false));
    }

    @ProvidesIntoSet
    public ComponentSpec<?, AttentionVariant> slidingWindow() {
        return ComponentSpec.of(ATTENTION, "sliding-window", "causal attention over the last `window` positions, softmax or softmax1 (fused)",
                SlidingWindow.Config.class, SlidingWindow::variant);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, AttentionVariant> learnedSink() {
        return ComponentSpec.of(ATTENTION, "learned-sink", "softmax with a learned per-head extra logit, an attention sink (fused)",
                NoOptions.class, c -> spec -> new FusedAttention(spec, 0, Float.NEGATIVE_INFINITY, true));
    }

    @ProvidesIntoSet
    public ComponentSpec<?, AttentionVariant> clippedSoftmax() {
        return ComponentSpec.of(ATTENTION, "clipped-softmax", "clip((ζ−γ)·softmax(x)+γ, 0, 1), Bondarenko et al. 2023 (fused where the backend has the kernel)",
                ClippedSoftmax.Config.class, ClippedSoftmax::variant);
    }

    /** The gated variant creates its inner variant through the registry, which exists once every plugin is bound. */
    @ProvidesIntoSet
    public ComponentSpec<?, AttentionVariant> gated(Provider<ComponentRegistry> registry) {
        return ComponentSpec.of(ATTENTION, "gated", "a sigmoid gate on each head's output, from the block input (Bondarenko 2023, Qwen 2025)",
                GatedAttention.Config.class, c -> GatedAttention.variant(c, registry.get()));
    }
}
