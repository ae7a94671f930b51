package dev.nanolab.probes;

import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.probe.LastUpdate;
import dev.nanolab.api.probe.Observation;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.probe.ProbeContext;
import dev.nanolab.api.probe.ProbeMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code grad-norm}: L2 norms of the gradients of the optimizer step just before the evaluation (before clipping,
 * summed over micro-batches: what the optimizer was given).
 *
 * <p>Metrics: {@code grad_norm/PARAM} per parameter tensor; {@code grad_norm_layer/LAYER} per layer, where a
 * parameter's layer is the block it sits in (the path up to its first numeric segment, {@code transformer.h.0}) or
 * else the module that owns it ({@code transformer.wte}); {@code grad_norm_total} over all parameters, which equals
 * the training log's {@code grad_norm} of that step. Nothing when no step ran before the evaluation in this process.
 */
public final class GradNormProbe implements Probe {
    public GradNormProbe(NoOptions ignored) {}

    @Override
    public Observation observe(ProbeContext context) {
        return out -> context.lastUpdate().ifPresent(u -> report(u, out));
    }

    private static void report(LastUpdate u, ProbeMetrics out) {
        Map<String, Double> layers = new LinkedHashMap<>();
        double total = 0;
        boolean any = false;
        for (String name : u.parameters().keySet()) {
            var g = u.gradient(name);
            if (g.isEmpty()) continue;
            double ss = 0;
            for (float v : g.get().toFloatArray()) ss += (double) v * v;
            out.scalar("grad_norm/" + name, Math.sqrt(ss));
            layers.merge(layer(name), ss, Double::sum);
            total += ss;
            any = true;
        }
        layers.forEach((l, ss) -> out.scalar("grad_norm_layer/" + l, Math.sqrt(ss)));
        if (any) out.scalar("grad_norm_total", Math.sqrt(total));
    }

    /** The block a parameter belongs to (up to its first numeric path segment), or its owning module. */
    static String layer(String param) {
        String[] parts = param.split("\\.");
        for (int i = 0; i < parts.length - 1; i++)
            if (!parts[i].isEmpty() && parts[i].chars().allMatch(Character::isDigit)) return String.join(".", java.util.Arrays.copyOf(parts, i + 1));
        return parts.length == 1 ? param : String.join(".", java.util.Arrays.copyOf(parts, parts.length - 1));
    }
}
