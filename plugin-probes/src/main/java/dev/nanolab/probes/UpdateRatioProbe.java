package dev.nanolab.probes;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.probe.LastUpdate;
import dev.nanolab.api.probe.Observation;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.probe.ProbeContext;
import dev.nanolab.api.probe.ProbeMetrics;
import dev.nanolab.api.tensor.Tensor;
import java.util.Map;

/**
 * {@code update-ratio}: the update:data ratio of each parameter tensor for the optimizer step just before the
 * evaluation, log10(std(Δθ) / std(θ)), with Δθ = θ_after − θ_before and θ = θ_before, standard deviations over the
 * tensor's elements (population, 1/n). Karpathy's rule of thumb: around −3 is healthy.
 *
 * <p>Metrics: {@code update_ratio_log10/PARAM} for parameters of rank ≥ {@code min_rank}; null where θ is constant
 * (a layer norm's gain before it has moved). Nothing at the first evaluation, or the first after a resume: no step
 * ran before it in this process.
 */
public final class UpdateRatioProbe implements Probe {
    public record Config(@Doc("only parameters of at least this rank") @Range(min = 1, max = 8) int minRank) {
        public Config() {
            this(1);
        }
    }

    private final Config config;

    public UpdateRatioProbe(Config config) {
        this.config = config;
    }

    @Override
    public boolean needsPreviousParameters() {
        return true;
    }

    @Override
    public Observation observe(ProbeContext context) {
        return out -> context.lastUpdate().ifPresent(u -> report(u, out));
    }

    private void report(LastUpdate u, ProbeMetrics out) {
        for (Map.Entry<String, Tensor> e : u.parameters().entrySet()) {
            if (e.getValue().rank() < config.minRank()) continue;
            var before = u.before(e.getKey());
            if (before.isEmpty()) continue;
            out.scalar("update_ratio_log10/" + e.getKey(), log10Ratio(before.get(), e.getValue().toFloatArray()));
        }
    }

    /** log10(std(after − before) / std(before)). */
    public static double log10Ratio(float[] before, float[] after) {
        Moments data = new Moments().add(before);
        float[] delta = new float[before.length];
        for (int i = 0; i < delta.length; i++) delta[i] = after[i] - before[i];
        Moments update = new Moments().add(delta);
        return Math.log10(update.std() / data.std());
    }
}
