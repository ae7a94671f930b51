package dev.nanolab.probes;

/**
 * Streaming central moments (count, mean, M2 = Σ(x−x̄)², M3, M4) of a sample, in double precision, with exact
 * merging of partial results (Pébay 2008), so a tensor seen batch by batch gives the moments of all its values.
 * Also tracks the largest |x| and its index.
 *
 * <p>Kurtosis is <b>Pearson's</b> β₂ = m₄ / m₂² with m_k = M_k / n (the biased moment estimator, no small-sample
 * correction): 3 for a normal distribution, 1.8 for a uniform one, 6 for a Laplace one. Excess kurtosis is β₂ − 3.
 */
public final class Moments {
    private long n;
    private double mean, m2, m3, m4;
    private double maxAbs = Double.NaN;
    private long maxAbsIndex = -1;
    private long seen;

    /** Adds values; indices of the max |x| count from the first value ever added. */
    public Moments add(float[] values) {
        return add(values, 0, values.length);
    }

    /** Adds {@code values[from, to)}. */
    public Moments add(float[] values, int from, int to) {
        int k = to - from;
        if (k <= 0) return this;
        double s = 0;
        for (int i = from; i < to; i++) s += values[i];
        double mb = s / k, b2 = 0, b3 = 0, b4 = 0, best = maxAbs;
        long bestIdx = maxAbsIndex;
        for (int i = from; i < to; i++) {
            double d = values[i] - mb, d2 = d * d;
            b2 += d2;
            b3 += d2 * d;
            b4 += d2 * d2;
            double a = Math.abs(values[i]);
            if (a > best || (bestIdx < 0 && a == a)) { // NaN never wins
                best = a;
                bestIdx = seen + (i - from);
            }
        }
        maxAbs = best;
        maxAbsIndex = bestIdx;
        seen += k;
        merge(k, mb, b2, b3, b4);
        return this;
    }

    /** Adds another accumulator's values (its max |x| index is not carried over). */
    public Moments add(Moments o) {
        if (o.n == 0) return this;
        if (o.maxAbsIndex >= 0 && (o.maxAbs > maxAbs || maxAbsIndex < 0)) {
            maxAbs = o.maxAbs;
            maxAbsIndex = seen + o.maxAbsIndex;
        }
        seen += o.seen;
        merge(o.n, o.mean, o.m2, o.m3, o.m4);
        return this;
    }

    private void merge(long nb, double mb, double b2, double b3, double b4) {
        if (n == 0) {
            n = nb;
            mean = mb;
            m2 = b2;
            m3 = b3;
            m4 = b4;
            return;
        }
        double na = n, nbd = nb, nt = na + nbd, d = mb - mean, d2 = d * d;
        double nm4 = m4 + b4 + d2 * d2 * na * nbd * (na * na - na * nbd + nbd * nbd) / (nt * nt * nt)
                + 6 * d2 * (na * na * b2 + nbd * nbd * m2) / (nt * nt) + 4 * d * (na * b3 - nbd * m3) / nt;
        double nm3 = m3 + b3 + d2 * d * na * nbd * (na - nbd) / (nt * nt) + 3 * d * (na * b2 - nbd * m2) / nt;
        double nm2 = m2 + b2 + d2 * na * nbd / nt;
        mean += d * nbd / nt;
        m2 = nm2;
        m3 = nm3;
        m4 = nm4;
        n += nb;
    }

    public long count() {
        return n;
    }

    public double mean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** Population variance m₂ = M2 / n. */
    public double variance() {
        return n == 0 ? Double.NaN : m2 / n;
    }

    /** Population standard deviation √m₂. */
    public double std() {
        return Math.sqrt(variance());
    }

    /** Pearson kurtosis m₄ / m₂² (normal = 3); NaN when the values are constant or there are none. */
    public double pearsonKurtosis() {
        if (n == 0 || m2 == 0) return Double.NaN;
        return n * m4 / (m2 * m2);
    }

    /** Skewness m₃ / m₂^1.5; NaN when the values are constant. */
    public double skewness() {
        if (n == 0 || m2 == 0) return Double.NaN;
        return Math.sqrt(n) * m3 / Math.pow(m2, 1.5);
    }

    /** The largest |x| seen, NaN if none. */
    public double maxAbs() {
        return maxAbs;
    }

    /** The index of the largest |x| among all values added, in order; -1 if none. */
    public long maxAbsIndex() {
        return maxAbsIndex;
    }
}
