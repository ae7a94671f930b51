package dev.nanolab.reporting;

import dev.nanolab.api.experiment.ExperimentResult;
import java.util.List;

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

    // ------------------------------------------------------------------ Student's t

    /** The p-quantile of Student's t distribution with {@code df} degrees of freedom (bisection on the CDF). */
    public static double tQuantile(double p, double df) {
        if (!(p > 0 && p < 1) || !(df > 0)) throw new IllegalArgumentException("tQuantile(" + p + ", " + df + ")");
        if (p == 0.5) return 0;
        if (p < 0.5) return -tQuantile(1 - p, df);
        double lo = 0, hi = 1;
        while (tCdf(hi, df) < p) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (tCdf(mid, df) < p) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** P(T ≤ t) for Student's t with df degrees of freedom: 1 − I_x(df/2, 1/2)/2 with x = df/(df + t²), for t ≥ 0. */
    public static double tCdf(double t, double df) {
        double x = df / (df + t * t);
        double tail = 0.5 * regularizedBeta(x, df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** The regularized incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes' betacf). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double bt = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        if (x < (a + 1) / (a + b + 2)) return bt * betaFraction(x, a, b) / a;
        return 1 - bt * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        double tiny = 1e-300, qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-16) break;
        }
        return h;
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7). */
    static double logGamma(double x) {
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        x -= 1;
        double a = g[0], t = x + 7.5;
        for (int i = 1; i < 9; i++) a += g[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
