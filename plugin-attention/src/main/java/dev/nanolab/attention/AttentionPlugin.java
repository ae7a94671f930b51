package dev.nanolab.attention;

import com.google.inject.Module;
import com.google.inject.Provider;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.attention.FusedAttention;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Components;
import dev.nanolab.api.plugin.Plugin;

/** Registers the built-in attention variants. */
public final class AttentionPlugin implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @Override
    public Module module() {
        return binder -> {
            // The gated variant creates its inner variant through the registry, which exists once all plugins load.
            Provider<ComponentRegistry> registry = binder.getProvider(ComponentRegistry.class);
            register(binder, "softmax", "standard causal softmax attention (fused kernel)", NoOptions.class,
                    c -> spec -> new FusedAttention(spec, 0, Float.NEGATIVE_INFINITY, false));
            register(binder, "softmax1", "quiet attention: exp(x_i)/(1+Σexp(x_j)), heads may attend to nothing (fused)",
                    NoOptions.class, c -> spec -> new FusedAttention(spec, 0, 0f, false));
            register(binder, "sliding-window", "causal attention over the last `window` positions, softmax or softmax1 (fused)",
                    SlidingWindow.Config.class, SlidingWindow::variant);
            register(binder, "learned-sink", "softmax with a learned per-head extra logit, an attention sink (fused)",
                    NoOptions.class, c -> spec -> new FusedAttention(spec, 0, Float.NEGATIVE_INFINITY, true));
            register(binder, "clipped-softmax", "clip((ζ−γ)·softmax(x)+γ, 0, 1), Bondarenko et al. 2023 (fused)",
                    ClippedSoftmax.Config.class, ClippedSoftmax::variant);
            register(binder, "gated", "a sigmoid gate on each head's output, from the block input (Bondarenko 2023, Qwen 2025)",
                    GatedAttention.Config.class, c -> GatedAttention.variant(c, registry.get()));
        };
    }

    private static <C extends Record> void register(com.google.inject.Binder binder, String name, String description,
                                                    Class<C> config, java.util.function.Function<C, AttentionVariant> factory) {
        Components.register(binder, ComponentSpec.of(ComponentKind.ATTENTION, name, description, config, factory));
    }
}
