package dev.nanolab.optimizers;

import com.google.inject.Module;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Components;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.optimizers.schedules.Constant;
import dev.nanolab.optimizers.schedules.WarmupCosine;

/** Registers the built-in optimizers and schedules. */
public final class OptimizersPlugin implements Plugin {
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
            Components.register(binder, ComponentSpec.of(ComponentKind.OPTIMIZER, "adamw",
                    "AdamW: Adam with decoupled weight decay (torch.optim.AdamW)", AdamW.Config.class, AdamW.Factory::new));
            Components.register(binder, ComponentSpec.of(ComponentKind.SCHEDULE, "warmup-cosine",
                    "linear warmup, cosine decay to min_lr at lr_decay_iters, then constant (nanoGPT)",
                    WarmupCosine.Config.class, WarmupCosine::new));
            Components.register(binder, ComponentSpec.of(ComponentKind.SCHEDULE, "constant",
                    "the base learning rate throughout", NoOptions.class, c -> new Constant()));
        };
    }
}
