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
 * {@code max-abs}: the largest |x| of each watched module's output over the val batches of an evaluation, and the
 * channel (index in the last dimension) where it occurred: outliers concentrated in a few channels are what breaks
 * quantisation (Bondarenko et al. 2023).
 *
 * <p>Metrics: {@code act_max_abs/MODULE}, {@code act_max_abs_channel/MODULE}; with {@code weights},
 * {@code weight_max_abs/PARAM} for parameters of rank ≥ {@code min_rank}.
 */
public final class MaxAbsProbe implements Probe {
    public record Config(@Doc("module globs whose outputs are measured (* = one path segment, ** = any)") List<String> modules,
                         @Doc("also report the largest |w| of each weight tensor") boolean weights,
                         @Doc("only parameters of at least this rank count as weights") @Range(min = 1, max = 8) int minRank) {
        public Config() {
            this(ModulePattern.BLOCK_OUTPUTS, true, 2);
        }
    }

    /** The largest |x| so far and its channel. */
    private static final class Max {
        double value = Double.NaN;
        long channel = -1;
    }

    private final Config config;

    public MaxAbsProbe(Config config) {
        this.config = config;
    }

    @Override
    public Observation observe(ProbeContext context) {
        var modules = new ModulePattern(config.modules()).select(context.model(), "max-abs");
        Map<String, Max> max = new LinkedHashMap<>();
        modules.keySet().forEach(p -> max.put(p, new Max()));
        Hooks hooks = Hooks.on(modules, (path, out) -> {
            float[] v = out.toFloatArray();
            int channels = out.dim(-1);
            Max x = max.get(path);
            for (int i = 0; i < v.length; i++) {
                float a = Math.abs(v[i]);
                if (a > x.value || (x.channel < 0 && a == a)) { // the first occurrence wins ties; NaN never wins
                    x.value = a;
                    x.channel = i % channels;
                }
            }
        });
        return new Observation() {
            @Override
            public void report(ProbeMetrics out) {
                max.forEach((path, x) -> {
                    if (x.channel < 0) return;
                    out.scalar("act_max_abs/" + path, x.value);
                    out.scalar("act_max_abs_channel/" + path, x.channel);
                });
                if (config.weights())
                    for (var e : context.model().namedParameters().entrySet()) {
                        Tensor p = e.getValue();
                        if (p.rank() >= config.minRank()) out.scalar("weight_max_abs/" + e.getKey(), new Moments().add(p.toFloatArray()).maxAbs());
                    }
            }

            @Override
            public void close() {
                hooks.close();
            }
        };
    }
}
