package dev.nanolab.api.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link Experiment} runs: a base config (a shipped preset, YAML text, or both: the YAML applies on top of
 * the preset), {@code key=value} overrides applied next, the variations (every combination of their values is one
 * variant, the first combination is the baseline), the number of seeds (seeds are {@code seed, seed+1, ...} from
 * the base config), the probes every run carries, and the "interesting" threshold: the relative perplexity
 * improvement a variant must show against the baseline (0.05 = 5%).
 *
 * @param preset     a preset name ({@code cpu-demo}), or null
 * @param yaml       config YAML applied after the preset, or null
 * @param overrides  {@code key=value} overrides, applied in order after the YAML
 * @param variations what to vary
 * @param seeds      runs per variant, at least 1 (2 or more give a confidence interval)
 * @param probes     probe component names every run gets; empty keeps the base config's own {@code probes}
 * @param threshold  relative perplexity improvement that makes a variant interesting
 */
public record ExperimentPlan(String preset, String yaml, List<String> overrides, List<Variation> variations, int seeds,
                             List<String> probes, double threshold) {
    /** The probes a plan gets by default: every built-in probe that is cheap at evaluation time. */
    public static final List<String> STANDARD_PROBES =
            List.of("kurtosis", "max-abs", "attention-mass", "dead-neurons", "update-ratio", "grad-norm", "histograms");

    public ExperimentPlan {
        overrides = List.copyOf(overrides);
        variations = List.copyOf(variations);
        probes = List.copyOf(probes);
        if (preset == null && yaml == null) throw new IllegalArgumentException("an experiment needs a base config: a preset or YAML");
        if (seeds < 1) throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        if (!(threshold >= 0 && threshold < 1)) throw new IllegalArgumentException("threshold must be in [0, 1), got " + threshold);
        for (String o : overrides)
            if (o.indexOf('=') <= 0) throw new IllegalArgumentException("an override is key=value, got '" + o + "'");
    }

    /** A plan on a shipped preset, with no variations yet, 2 seeds, the standard probes and a 5% threshold. */
    public static ExperimentPlan preset(String name) {
        return new ExperimentPlan(Objects.requireNonNull(name, "preset"), null, List.of(), List.of(), 2, STANDARD_PROBES, 0.05);
    }

    /** A plan on YAML text, otherwise as {@link #preset}. */
    public static ExperimentPlan yaml(String yaml) {
        return new ExperimentPlan(null, Objects.requireNonNull(yaml, "yaml"), List.of(), List.of(), 2, STANDARD_PROBES, 0.05);
    }

    /** Adds {@code key=value} overrides. */
    public ExperimentPlan with(String... assignments) {
        List<String> o = new ArrayList<>(overrides);
        o.addAll(List.of(assignments));
        return new ExperimentPlan(preset, yaml, o, variations, seeds, probes, threshold);
    }

    /** Adds a variation: {@code key} takes each of {@code values} in turn. */
    public ExperimentPlan vary(String key, String... values) {
        List<Variation> v = new ArrayList<>(variations);
        v.add(new Variation(key, List.of(values)));
        return new ExperimentPlan(preset, yaml, overrides, v, seeds, probes, threshold);
    }

    public ExperimentPlan seeds(int n) {
        return new ExperimentPlan(preset, yaml, overrides, variations, n, probes, threshold);
    }

    public ExperimentPlan probes(String... names) {
        return new ExperimentPlan(preset, yaml, overrides, variations, seeds, List.of(names), threshold);
    }

    public ExperimentPlan threshold(double t) {
        return new ExperimentPlan(preset, yaml, overrides, variations, seeds, probes, t);
    }
}
