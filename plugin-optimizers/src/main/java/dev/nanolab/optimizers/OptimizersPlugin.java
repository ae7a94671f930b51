package dev.nanolab.optimizers;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.optim.LrSchedule;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.optimizers.schedules.Constant;
import dev.nanolab.optimizers.schedules.StepDecay;
import dev.nanolab.optimizers.schedules.WarmupCosine;
import dev.nanolab.optimizers.schedules.WarmupStableDecay;


import static dev.nanolab.api.plugin.ComponentKind.OPTIMIZER;
import static dev.nanolab.api.plugin.ComponentKind.SCHEDULE;

/** Registers the built-in optimizers and schedules. */
public final class OptimizersPlugin extends AbstractModule implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @ProvidesIntoSet
    public ComponentSpec<?, OptimizerFactory> sgd() {
        return ComponentSpec.of(OPTIMIZER, "sgd", "SGD with momentum, Nesterov and L2 weight decay (torch.optim.SGD)",
                Sgd.Config.class, Sgd.Factory::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, OptimizerFactory> rmsprop() {
        return ComponentSpec.of(OPTIMIZER, "rmsprop", "RMSprop, optionally centered and with momentum (torch.optim.RMSprop)",
                RmsProp.Config.class, RmsProp.Factory::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, OptimizerFactory> adam() {
        return ComponentSpec.of(OPTIMIZER, "adam", "Adam with L2 weight decay in the gradient (torch.optim.Adam)",
                Adam.Config.class, Adam.Factory::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, OptimizerFactory> adamw() {
        return ComponentSpec.of(OPTIMIZER, "adamw", "AdamW: Adam with decoupled weight decay (torch.optim.AdamW)",
                AdamW.Config.class, AdamW.Factory::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, OptimizerFactory> lion() {
        return ComponentSpec.of(OPTIMIZER, "lion", "Lion: sign of interpolated momentum, decoupled weight decay (Chen et al. 2023)",
                Lion.Config.class, Lion.Factory::new);
    }

    /** Muon creates its fallback optimizer through the registry, which exists once every plugin is bound. */
    @ProvidesIntoSet
    public ComponentSpec<?, OptimizerFactory> muon(Provider<ComponentRegistry> registry) {
        return ComponentSpec.of(OPTIMIZER, "muon", "Muon: Nesterov momentum orthogonalised by Newton-Schulz for hidden matrices, a fallback for the rest",
                Muon.Config.class, c -> new Muon.Factory(c, c.fallback() == null
                        ? new AdamW.Factory(new AdamW.Config()) : c.fallback().create(registry.get())));
    }

    @ProvidesIntoSet
    public ComponentSpec<?, LrSchedule> constant() {
        return ComponentSpec.of(SCHEDULE, "constant", "the base learning rate throughout", NoOptions.class, c -> new Constant());
    }

    @ProvidesIntoSet
    public ComponentSpec<?, LrSchedule> warmupCosine() {
        return ComponentSpec.of(SCHEDULE, "warmup-cosine", "linear warmup, cosine decay to min_lr at lr_decay_iters, then constant (nanoGPT)",
                WarmupCosine.Config.class, WarmupCosine::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, LrSchedule> step() {
        return ComponentSpec.of(SCHEDULE, "step", "multiply the rate by gamma at each milestone step (MultiStepLR)",
                StepDecay.Config.class, StepDecay::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, LrSchedule> warmupStableDecay() {
        return ComponentSpec.of(SCHEDULE, "warmup-stable-decay", "linear warmup, constant, then linear/cosine/sqrt decay to min_lr at the end",
                WarmupStableDecay.Config.class, WarmupStableDecay::new);
    }
}
