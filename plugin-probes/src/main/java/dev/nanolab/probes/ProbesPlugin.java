package dev.nanolab.probes;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.experiment.Experiment;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.probes.experiments.MixtureOfTokenizersExperiment;
import dev.nanolab.probes.experiments.SoftmaxVsSoftmax1;

import static dev.nanolab.api.plugin.ComponentKind.EXPERIMENT;
import static dev.nanolab.api.plugin.ComponentKind.PROBE;

/** Registers the built-in probes and the softmax-vs-softmax1 and mixture-of-tokenizers experiments. */
public final class ProbesPlugin extends AbstractModule implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Probe> kurtosis() {
        return ComponentSpec.of(PROBE, "kurtosis",
                "Pearson kurtosis (normal = 3) of weights and of block, attention and MLP outputs",
                KurtosisProbe.Config.class, KurtosisProbe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Probe> maxAbs() {
        return ComponentSpec.of(PROBE, "max-abs",
                "largest |x| of block, attention and MLP outputs and the channel it is in; largest |w| per weight",
                MaxAbsProbe.Config.class, MaxAbsProbe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Probe> attentionMass() {
        return ComponentSpec.of(PROBE, "attention-mass",
                "attention mass per query row (below 1 for softmax1) per head, its histogram, and the share on the first token",
                AttentionMassProbe.Config.class, AttentionMassProbe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Probe> deadNeurons() {
        return ComponentSpec.of(PROBE, "dead-neurons",
                "fraction of MLP hidden units never active over the eval batches",
                DeadNeuronsProbe.Config.class, DeadNeuronsProbe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Probe> histograms() {
        return ComponentSpec.of(PROBE, "histograms",
                "histograms of weights, activations and gradients",
                HistogramsProbe.Config.class, HistogramsProbe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Probe> updateRatio() {
        return ComponentSpec.of(PROBE, "update-ratio",
                "update:data ratio log10(std(dθ)/std(θ)) per parameter tensor, for the step before each eval",
                UpdateRatioProbe.Config.class, UpdateRatioProbe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Probe> gradNorm() {
        return ComponentSpec.of(PROBE, "grad-norm",
                "gradient L2 norm per parameter, per layer and in total, for the step before each eval",
                NoOptions.class, GradNormProbe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Experiment> softmaxVsSoftmax1() {
        return ComponentSpec.of(EXPERIMENT, "softmax-vs-softmax1",
                "softmax vs softmax1 (quiet attention): char GPT on the JDK source, 2 seeds, perplexity and outliers",
                NoOptions.class, c -> new SoftmaxVsSoftmax1());
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Experiment> mixtureOfTokenizers() {
        return ComponentSpec.of(EXPERIMENT, "mixture-of-tokenizers",
                "the mixture-of-tokenizers devlog at CPU scale: token vs mot variants on speedrun-modern, 3 seeds, step time and loss",
                NoOptions.class, c -> new MixtureOfTokenizersExperiment());
    }
}
