package dev.nanolab.api.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "Did you mean" for misspelled keys and names: the known words within a small edit distance. */
public final class Suggestions {
    private Suggestions() {}

    /** The closest known words (at most two), within a distance that grows with the word's length. */
    public static List<String> closest(String word, Collection<String> known) {
        int limit = Math.max(2, word.length() / 3);
        List<String> hits = new ArrayList<>();
        int best = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(word.toLowerCase(), k.toLowerCase());
            if (k.toLowerCase().startsWith(word.toLowerCase()) || k.replace("_", "").equalsIgnoreCase(word.replace("_", "").replace("-", ""))) d = Math.min(d, 1);
            if (d <= limit) {
                if (d < best) {
                    best = d;
                    hits.clear();
                }
                if (d == best) hits.add(k);
            }
        }
        hits.sort(Comparator.naturalOrder());
        return hits.size() > 2 ? hits.subList(0, 2) : hits;
    }

    /** Damerau-Levenshtein (optimal string alignment) distance: a swap of two neighbours costs 1. */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++)
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.length()][b.length()];
    }
}
