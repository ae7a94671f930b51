package dev.nanolab.probes;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.probe.Observation;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.probe.ProbeContext;
import dev.nanolab.api.probe.ProbeMetrics;
import dev.nanolab.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kurtosis}: Pearson kurtosis (m₄/m₂², normal = 3; see {@link Moments}) of each weight tensor and of each
 * watched module's output over all values of all val batches of an evaluation.
 *
 * <p>Metrics: {@code weight_kurtosis_pearson/PARAM} for parameters of rank ≥ {@code min_rank};
 * {@code act_kurtosis_pearson/MODULE} for modules matching {@code modules} (default: each block's output, the
 * residual stream, and its attention and MLP outputs).
 */
public final class KurtosisProbe implements Probe {
    public record Config(@Doc("module globs whose outputs are measured (* = one path segment, ** = any)") List<String> modules,
                         @Doc("measure weight tensors") boolean weights,
                         @Doc("measure module outputs") boolean activations,
                         @Doc("only parameters of at least this rank count as weights") @Range(min = 1, max = 8) int minRank) {
        public Config() {
            this(ModulePattern.BLOCK_OUTPUTS, true, true, 2);
        }
    }

    private final Config config;

    public KurtosisProbe(Config config) {
        this.config = config;
    }

    @Override
    public Observation observe(ProbeContext context) {
        Map<String, Moments> acts = new LinkedHashMap<>();
        Hooks hooks = new Hooks();
        if (config.activations()) {
            var modules = new ModulePattern(config.modules()).select(context.model(), "kurtosis");
            modules.keySet().forEach(p -> acts.put(p, new Moments()));
            hooks = Hooks.on(modules, (path, out) -> acts.get(path).add(out.toFloatArray()));
        }
        Hooks attached = hooks;
        return new Observation() {
            @Override
            public void report(ProbeMetrics out) {
                if (config.weights())
                    for (var e : context.model().namedParameters().entrySet()) {
                        Tensor p = e.getValue();
                        if (p.rank() >= config.minRank())
                            out.scalar("weight_kurtosis_pearson/" + e.getKey(), new Moments().add(p.toFloatArray()).pearsonKurtosis());
                    }
                acts.forEach((path, m) -> {
                    if (m.count() > 0) out.scalar("act_kurtosis_pearson/" + path, m.pearsonKurtosis());
                });
            }

            @Override
            public void close() {
                attached.close();
            }
        };
    }
}
