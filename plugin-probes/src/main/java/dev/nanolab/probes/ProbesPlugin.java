package dev.nanolab.probes;

import com.google.inject.Module;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Components;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.probes.experiments.SoftmaxVsSoftmax1;

/** Registers the built-in probes and the softmax-vs-softmax1 experiment. */
public final class ProbesPlugin implements Plugin {
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
            Components.register(binder, ComponentSpec.of(ComponentKind.PROBE, "kurtosis",
                    "Pearson kurtosis (normal = 3) of weights and of block, attention and MLP outputs",
                    KurtosisProbe.Config.class, KurtosisProbe::new));
            Components.register(binder, ComponentSpec.of(ComponentKind.PROBE, "max-abs",
                    "largest |x| of block, attention and MLP outputs and the channel it is in; largest |w| per weight",
                    MaxAbsProbe.Config.class, MaxAbsProbe::new));
            Components.register(binder, ComponentSpec.of(ComponentKind.PROBE, "attention-mass",
                    "attention mass per query row (below 1 for softmax1) per head, its histogram, and the share on the first token",
                    AttentionMassProbe.Config.class, AttentionMassProbe::new));
            Components.register(binder, ComponentSpec.of(ComponentKind.PROBE, "dead-neurons",
                    "fraction of MLP hidden units never active over the eval batches",
                    DeadNeuronsProbe.Config.class, DeadNeuronsProbe::new));
            Components.register(binder, ComponentSpec.of(ComponentKind.PROBE, "histograms",
                    "histograms of weights, activations and gradients",
                    HistogramsProbe.Config.class, HistogramsProbe::new));
            Components.register(binder, ComponentSpec.of(ComponentKind.PROBE, "update-ratio",
                    "update:data ratio log10(std(dθ)/std(θ)) per parameter tensor, for the step before each eval",
                    UpdateRatioProbe.Config.class, UpdateRatioProbe::new));
            Components.register(binder, ComponentSpec.of(ComponentKind.PROBE, "grad-norm",
                    "gradient L2 norm per parameter, per layer and in total, for the step before each eval",
                    NoOptions.class, GradNormProbe::new));
            Components.register(binder, ComponentSpec.of(ComponentKind.EXPERIMENT, "softmax-vs-softmax1",
                    "softmax vs softmax1 (quiet attention): char GPT on the JDK source, 2 seeds, perplexity and outliers",
                    NoOptions.class, c -> new SoftmaxVsSoftmax1()));
        };
    }
}
