package dev.nanolab.probes;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.probe.Observation;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.probe.ProbeContext;
import dev.nanolab.api.probe.ProbeMetrics;
import dev.nanolab.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code histograms}: histograms of weights, activations and gradients, each over [−m, m] with m its largest |x|,
 * in {@code bins} equal bins.
 *
 * <p>Metrics: {@code hist_weight/PARAM} (parameters of rank ≥ {@code min_rank}); {@code hist_act/MODULE} (outputs
 * of the modules matching {@code modules}, over the first {@code activation_batches} val batches of the evaluation);
 * {@code hist_grad/PARAM} (the gradients of the step before the evaluation, when one ran in this process).
 */
public final class HistogramsProbe implements Probe {
    public record Config(@Doc("bins per histogram") @Range(min = 1, max = 10000) int bins,
                         @Doc("histogram weight tensors") boolean weights,
                         @Doc("histogram module outputs") boolean activations,
                         @Doc("histogram gradients of the step before the evaluation") boolean gradients,
                         @Doc("module globs whose outputs are histogrammed") List<String> modules,
                         @Doc("val batches whose activations are kept for the histogram") @Range(min = 1) int activationBatches,
                         @Doc("only parameters of at least this rank") @Range(min = 1, max = 8) int minRank) {
        public Config() {
            this(50, true, true, true, ModulePattern.BLOCK_OUTPUTS, 1, 2);
        }
    }

    private final Config config;

    public HistogramsProbe(Config config) {
        this.config = config;
    }

    @Override
    public Observation observe(ProbeContext context) {
        Map<String, List<float[]>> acts = new LinkedHashMap<>();
        Map<String, Integer> batches = new LinkedHashMap<>();
        Hooks hooks = new Hooks();
        if (config.activations()) {
            var modules = new ModulePattern(config.modules()).select(context.model(), "histograms");
            modules.keySet().forEach(p -> acts.put(p, new ArrayList<>()));
            hooks = Hooks.on(modules, (path, out) -> {
                if (batches.merge(path, 1, Integer::sum) <= config.activationBatches()) acts.get(path).add(out.toFloatArray());
            });
        }
        Hooks attached = hooks;
        return new Observation() {
            @Override
            public void report(ProbeMetrics out) {
                Map<String, Tensor> params = context.model().namedParameters();
                if (config.weights())
                    params.forEach((name, p) -> {
                        if (p.rank() >= config.minRank()) out.histogram("hist_weight/" + name, Histograms.symmetric(List.of(p.toFloatArray()), config.bins()));
                    });
                acts.forEach((path, parts) -> {
                    if (!parts.isEmpty()) out.histogram("hist_act/" + path, Histograms.symmetric(parts, config.bins()));
                });
                if (config.gradients())
                    context.lastUpdate().ifPresent(u -> params.forEach((name, p) -> {
                        if (p.rank() < config.minRank()) return;
                        u.gradient(name).ifPresent(g -> out.histogram("hist_grad/" + name, Histograms.symmetric(List.of(g.toFloatArray()), config.bins())));
                    }));
            }

            @Override
            public void close() {
                attached.close();
            }
        };
    }
}
