package dev.nanolab.api.probe;

import java.util.Arrays;

/**
 * Counts of values in consecutive bins: bin i holds values in [edges[i], edges[i+1]) (the last bin also holds its
 * upper edge).
 *
 * @param edges  bin edges, increasing, one more than the bins
 * @param counts values per bin
 */
public record Histogram(double[] edges, long[] counts) {
    public Histogram {
        if (edges.length != counts.length + 1 || counts.length == 0)
            throw new IllegalArgumentException("a histogram of " + counts.length + " bins needs " + (counts.length + 1) + " edges, got " + edges.length);
        for (int i = 1; i < edges.length; i++)
            if (!(edges[i] > edges[i - 1])) throw new IllegalArgumentException("histogram edges must increase: " + Arrays.toString(edges));
        edges = edges.clone();
        counts = counts.clone();
    }

    /** Values counted. */
    public long total() {
        long n = 0;
        for (long c : counts) n += c;
        return n;
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && Arrays.equals(edges, h.edges) && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(edges) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram" + Arrays.toString(counts) + " over " + Arrays.toString(edges);
    }
}
