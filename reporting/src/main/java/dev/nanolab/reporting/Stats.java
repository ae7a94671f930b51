package dev.nanolab.reporting;

import dev.nanolab.api.experiment.ExperimentResult;
import java.util.List;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The statistics of a comparison.
 *
 * <ul>
 *   <li>Mean and sample standard deviation over seeds: x̄ = Σx/n, s = √(Σ(x − x̄)²/(n − 1)).</li>
 *   <li>Relative perplexity change of a variant against the baseline, paired by seed. Perplexity is exp(L), L the
 *   val loss in nats, so the per-seed log ratio of perplexities is the loss difference d_s = L_v,s − L_b,s. With
 *   n seeds where both runs finished, d̄ = Σd_s/n, s_d = √(Σ(d_s − d̄)²/(n − 1)) and the Student t quantile
 *   t = t_{0.975, n−1}: change = exp(d̄) − 1, 95% interval [exp(d̄ − t·s_d/√n) − 1, exp(d̄ + t·s_d/√n) − 1]. The
 *   change is the ratio of the geometric-mean perplexities minus one; negative is an improvement.</li>
 *   <li>Interesting: change ≤ −threshold (the estimate improves perplexity by at least the threshold); the stronger
 *   claim is that the interval's upper end is ≤ −threshold.</li>
 * </ul>
 */
public final class Stats {
    private Stats() {}

    public static double mean(double[] x) {
        if (x.length == 0) return Double.NaN;
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Sample standard deviation (n − 1); NaN for n < 2. */
    public static double std(double[] x) {
        if (x.length < 2) return Double.NaN;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1));
    }

    public static ExperimentResult.Summary summary(double[] x) {
        return new ExperimentResult.Summary(x.length, mean(x), std(x));
    }

    /**
     * The paired relative perplexity change; {@code baseline[i]} and {@code variant[i]} are the losses of seed i.
     *
     * @return empty when there are no pairs
     */
    public static java.util.Optional<ExperimentResult.Change> relativeChange(double[] baseline, double[] variant, double threshold) {
        if (baseline.length != variant.length) throw new IllegalArgumentException("unpaired: " + baseline.length + " vs " + variant.length);
        int n = baseline.length;
        if (n == 0) return java.util.Optional.empty();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = variant[i] - baseline[i];
        double dbar = mean(d);
        double lo = Double.NaN, hi = Double.NaN;
        if (n >= 2) {
            double half = tQuantile(0.975, n - 1) * std(d) / Math.sqrt(n);
            lo = Math.expm1(dbar - half);
            hi = Math.expm1(dbar + half);
        }
        double est = Math.expm1(dbar);
        return java.util.Optional.of(new ExperimentResult.Change(est, lo, hi, n, est <= -threshold, hi <= -threshold));
    }

    /** Pairs per-seed losses by seed; only seeds present in both are kept, in the baseline's order. */
    public static double[][] paired(List<ExperimentResult.Run> baseline, List<ExperimentResult.Run> variant) {
        List<double[]> pairs = new java.util.ArrayList<>();
        for (var b : baseline) {
            if (!b.ok()) continue;
            for (var v : variant) if (v.ok() && v.seed() == b.seed()) pairs.add(new double[] {b.finalLoss(), v.finalLoss()});
        }
        double[][] out = new double[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[0][i] = pairs.get(i)[0];
            out[1][i] = pairs.get(i)[1];
        }
        return out;
    }

    // ------------------------------------------------------------------ Student's t (Apache Commons Statistics)

    /** The p-quantile of Student's t distribution with {@code df} degrees of freedom. */
    public static double tQuantile(double p, double df) {
        if (!(p > 0 && p < 1) || !(df > 0)) throw new IllegalArgumentException("tQuantile(" + p + ", " + df + ")");
        return TDistribution.of(df).inverseCumulativeProbability(p);
    }

    /** P(T ≤ t) for Student's t with df degrees of freedom. */
    public static double tCdf(double t, double df) {
        return TDistribution.of(df).cumulativeProbability(t);
    }
}
