package dev.nanolab.optimizers;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provider;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.optim.LrSchedule;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Components;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.optimizers.schedules.Constant;
import dev.nanolab.optimizers.schedules.StepDecay;
import dev.nanolab.optimizers.schedules.WarmupCosine;
import dev.nanolab.optimizers.schedules.WarmupStableDecay;
import java.util.function.Function;

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
            // Muon creates its fallback optimizer through the registry, which exists once all plugins load.
            Provider<ComponentRegistry> registry = binder.getProvider(ComponentRegistry.class);
            optimizer(binder, "sgd", "SGD with momentum, Nesterov and L2 weight decay (torch.optim.SGD)",
                    Sgd.Config.class, Sgd.Factory::new);
            optimizer(binder, "rmsprop", "RMSprop, optionally centered and with momentum (torch.optim.RMSprop)",
                    RmsProp.Config.class, RmsProp.Factory::new);
            optimizer(binder, "adam", "Adam with L2 weight decay in the gradient (torch.optim.Adam)",
                    Adam.Config.class, Adam.Factory::new);
            optimizer(binder, "adamw", "AdamW: Adam with decoupled weight decay (torch.optim.AdamW)",
                    AdamW.Config.class, AdamW.Factory::new);
            optimizer(binder, "lion", "Lion: sign of interpolated momentum, decoupled weight decay (Chen et al. 2023)",
                    Lion.Config.class, Lion.Factory::new);
            optimizer(binder, "muon", "Muon: Nesterov momentum orthogonalised by Newton-Schulz for hidden matrices, a fallback for the rest",
                    Muon.Config.class, c -> new Muon.Factory(c, c.fallback() == null
                            ? new AdamW.Factory(new AdamW.Config()) : c.fallback().create(registry.get())));
            schedule(binder, "constant", "the base learning rate throughout", NoOptions.class, c -> new Constant());
            schedule(binder, "warmup-cosine", "linear warmup, cosine decay to min_lr at lr_decay_iters, then constant (nanoGPT)",
                    WarmupCosine.Config.class, WarmupCosine::new);
            schedule(binder, "step", "multiply the rate by gamma at each milestone step (MultiStepLR)",
                    StepDecay.Config.class, StepDecay::new);
            schedule(binder, "warmup-stable-decay", "linear warmup, constant, then linear/cosine/sqrt decay to min_lr at the end",
                    WarmupStableDecay.Config.class, WarmupStableDecay::new);
        };
    }

    private static <C extends Record> void optimizer(Binder binder, String name, String description, Class<C> config,
                                                     Function<C, OptimizerFactory> factory) {
        Components.register(binder, ComponentSpec.of(ComponentKind.OPTIMIZER, name, description, config, factory));
    }

    private static <C extends Record> void schedule(Binder binder, String name, String description, Class<C> config,
                                                    Function<C, LrSchedule> factory) {
        Components.register(binder, ComponentSpec.of(ComponentKind.SCHEDULE, name, description, config, factory));
    }
}
