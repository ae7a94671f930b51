package dev.nanolab.probes;

import dev.nanolab.api.probe.Histogram;
import java.util.List;

/** Histograms of float values. */
public final class Histograms {
    private Histograms() {}

    /** {@code bins} equal bins over [−m, m], m the largest |x| (1 when all are zero); NaNs are not counted. */
    public static Histogram symmetric(List<float[]> parts, int bins) {
        double m = 0;
        for (float[] p : parts) for (float v : p) if (Math.abs(v) > m) m = Math.abs(v);
        if (!(m > 0) || Double.isInfinite(m)) m = 1;
        return of(parts, bins, -m, m);
    }

    /** {@code bins} equal bins over [lo, hi]; values outside are counted in the first or last bin. */
    public static Histogram of(List<float[]> parts, int bins, double lo, double hi) {
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = lo + (hi - lo) * i / bins;
        long[] counts = new long[bins];
        double scale = bins / (hi - lo);
        for (float[] p : parts) {
            for (float v : p) {
                if (Float.isNaN(v)) continue;
                int b = (int) Math.floor((v - lo) * scale);
                counts[Math.max(0, Math.min(bins - 1, b))]++;
            }
        }
        return new Histogram(edges, counts);
    }
}
