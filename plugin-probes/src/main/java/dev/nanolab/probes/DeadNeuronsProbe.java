package dev.nanolab.probes;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.probe.Observation;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.probe.ProbeContext;
import dev.nanolab.api.probe.ProbeMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dead-neurons}: the units (channels of the last dimension) of each watched hidden pre-activation that are
 * never active over all positions of all val batches of an evaluation. A unit is active at a position when its
 * pre-activation exceeds {@code threshold} (0: where GELU or ReLU output is positive).
 *
 * <p>Metrics: {@code dead_fraction/MODULE} and {@code dead_units/MODULE}, for modules matching {@code modules}
 * (default: each MLP's {@code c_fc}, the pre-activation before the GELU).
 */
public final class DeadNeuronsProbe implements Probe {
    public record Config(@Doc("module globs whose outputs are hidden pre-activations") List<String> modules,
                         @Doc("a unit is active where its pre-activation exceeds this") double threshold) {
        public Config() {
            this(ModulePattern.MLP_HIDDEN, 0.0);
        }
    }

    private final Config config;

    public DeadNeuronsProbe(Config config) {
        this.config = config;
    }

    @Override
    public Observation observe(ProbeContext context) {
        var modules = new ModulePattern(config.modules()).select(context.model(), "dead-neurons");
        Map<String, boolean[]> active = new LinkedHashMap<>();
        Hooks hooks = Hooks.on(modules, (path, out) -> {
            int units = out.dim(-1);
            boolean[] a = active.computeIfAbsent(path, k -> new boolean[units]);
            float[] v = out.toFloatArray();
            for (int i = 0; i < v.length; i++) if (v[i] > config.threshold()) a[i % units] = true;
        });
        return new Observation() {
            @Override
            public void report(ProbeMetrics out) {
                active.forEach((path, a) -> {
                    int dead = dead(a).length;
                    out.scalar("dead_fraction/" + path, (double) dead / a.length);
                    out.scalar("dead_units/" + path, dead);
                });
            }

            @Override
            public void close() {
                hooks.close();
            }
        };
    }

    /** The dead units' indices from a per-unit activity record. */
    static int[] dead(boolean[] active) {
        return java.util.stream.IntStream.range(0, active.length).filter(i -> !active[i]).toArray();
    }
}
