package dev.nanolab.training.probe;

import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.probe.Histogram;
import dev.nanolab.api.probe.LastUpdate;
import dev.nanolab.api.probe.Observation;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.probe.ProbeContext;
import dev.nanolab.api.probe.ProbeMetrics;
import dev.nanolab.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The probes of a run, driven by a training loop. What the loop does:
 *
 * <pre>{@code
 * for (iter = start; ; iter++) {
 *     if (evaluating) {
 *         try (ProbeSet.Observing o = probes.observe(iter, model)) {
 *             valLoss = evaluate(model, "val");            // the hooks see these batches only
 *             for (ProbeSet.Report r : o.reports()) write(r);
 *         }
 *     }
 *     probes.beforeUpdate(iter, nextIterationEvaluates, params);  // copies θ only if a probe needs it and an evaluation follows
 *     step(iter);
 *     probes.afterUpdate(iter);
 * }
 * }</pre>
 *
 * Steps that do not precede an evaluation cost one branch.
 */
public final class ProbeSet {
    /** A probe and the name its records carry (its component name; a second one of the same name gets {@code #2}). */
    public record Named(String name, Probe probe) {
        public Named {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(probe, "probe");
        }
    }

    /**
     * What one probe reported at one evaluation.
     *
     * @param probe  the probe's name
     * @param values metric key to {@link Double} or {@link Histogram}, in the order reported
     */
    public record Report(String probe, Map<String, Object> values) {}

    private final List<Named> probes;
    private final boolean needsPrevious;
    private Map<String, float[]> before = Map.of();
    private long beforeIter = -1;
    private long lastStep = -1;

    public ProbeSet(List<Named> probes) {
        this.probes = List.copyOf(probes);
        this.needsPrevious = probes.stream().anyMatch(p -> p.probe().needsPreviousParameters());
    }

    /** No probes: every call is a no-op. */
    public static ProbeSet none() {
        return new ProbeSet(List.of());
    }

    /** Names probes by their component names, numbering repeats ({@code kurtosis}, {@code kurtosis#2}). */
    public static ProbeSet named(List<String> names, List<Probe> probes) {
        if (names.size() != probes.size()) throw new IllegalArgumentException(names.size() + " names for " + probes.size() + " probes");
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<Named> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int n = seen.merge(names.get(i), 1, Integer::sum);
            out.add(new Named(n == 1 ? names.get(i) : names.get(i) + "#" + n, probes.get(i)));
        }
        return new ProbeSet(out);
    }

    public List<Named> probes() {
        return probes;
    }

    public boolean isEmpty() {
        return probes.isEmpty();
    }

    /**
     * Called before the update of step {@code iter}. When an evaluation follows this step and a probe needs the
     * previous parameters, copies them to the host; otherwise does nothing.
     */
    public void beforeUpdate(long iter, boolean evaluationFollows, Map<String, Tensor> parameters) {
        if (!needsPrevious || !evaluationFollows) return;
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (var e : parameters.entrySet()) copy.put(e.getKey(), e.getValue().toFloatArray());
        before = copy;
        beforeIter = iter;
    }

    /** Called after the update of step {@code iter}. */
    public void afterUpdate(long iter) {
        lastStep = iter;
    }

    /** Starts observing evaluation {@code iter}: every probe attaches its hooks to {@code model}. */
    public Observing observe(long iter, Layer model) {
        Optional<LastUpdate> update = Optional.empty();
        if (probes.isEmpty()) return new Observing(List.of());
        if (lastStep >= 0 && lastStep == iter - 1) {
            Map<String, Tensor> params = Collections.unmodifiableMap(model.namedParameters());
            Map<String, float[]> prev = beforeIter == lastStep ? before : Map.of();
            long step = lastStep;
            update = Optional.of(new LastUpdate() {
                @Override
                public long iteration() {
                    return step;
                }

                @Override
                public Map<String, Tensor> parameters() {
                    return params;
                }

                @Override
                public Optional<float[]> before(String name) {
                    return Optional.ofNullable(prev.get(name));
                }
            });
        }
        ProbeContext context = new ProbeContext(iter, model, update);
        List<Map.Entry<String, Observation>> open = new ArrayList<>();
        try {
            for (Named p : probes) open.add(Map.entry(p.name(), Objects.requireNonNull(p.probe().observe(context), p.name())));
        } catch (RuntimeException e) {
            for (var o : open) o.getValue().close();
            throw new IllegalStateException("probe " + (open.size() < probes.size() ? probes.get(open.size()).name() : "?")
                    + " failed to attach: " + e.getMessage(), e);
        }
        return new Observing(open);
    }

    /** The observations of one evaluation; closing removes every hook and drops the copied parameters. */
    public final class Observing implements AutoCloseable {
        private final List<Map.Entry<String, Observation>> open;

        private Observing(List<Map.Entry<String, Observation>> open) {
            this.open = open;
        }

        /** Every probe's report, in the order the probes are configured. */
        public List<Report> reports() {
            List<Report> out = new ArrayList<>();
            for (var o : open) {
                Map<String, Object> values = new LinkedHashMap<>();
                try {
                    o.getValue().report(new ProbeMetrics() {
                        @Override
                        public void scalar(String key, double value) {
                            values.put(key, value);
                        }

                        @Override
                        public void histogram(String key, Histogram histogram) {
                            values.put(key, histogram);
                        }
                    });
                } catch (RuntimeException e) {
                    throw new IllegalStateException("probe " + o.getKey() + " failed to report: " + e.getMessage(), e);
                }
                out.add(new Report(o.getKey(), values));
            }
            return out;
        }

        @Override
        public void close() {
            for (var o : open) o.getValue().close();
            before = Map.of();
            beforeIter = -1;
        }
    }
}
