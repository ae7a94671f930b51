package dev.nanolab.reporting;

import dev.nanolab.api.experiment.ExperimentResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the runs of a comparison into numbers ({@link #summarize}) and files ({@link #write}): {@code compare.csv}
 * (one row per variant), {@code compare-runs.csv} (one row per run) and {@code compare.html} (tables, the variants'
 * curves overlaid, per-layer kurtosis and max |x| side by side). The statistics are in {@link Stats}.
 */
public final class Comparison {
    /** A variant as it was run. */
    public record VariantRuns(String name, Map<String, String> settings, List<RunOutcome> runs) {}

    /** One run: its seed, folder, whether its process succeeded, and if not, why. */
    public record RunOutcome(long seed, Path dir, boolean ok, String error) {}

    /** The probe metrics compared side by side per layer. */
    static final List<String> SIDE_BY_SIDE = List.of("act_kurtosis_pearson", "act_max_abs", "act_max_abs_channel");

    private Comparison() {}

    /** Reads every successful run's metrics and computes the statistics; the first variant is the baseline. */
    public static ExperimentResult summarize(Path folder, double threshold, List<VariantRuns> variants) {
        List<ExperimentResult.Variant> out = new ArrayList<>();
        List<ExperimentResult.Run> baseline = null;
        for (VariantRuns v : variants) {
            List<ExperimentResult.Run> runs = new ArrayList<>();
            Map<String, double[]> probeSums = new LinkedHashMap<>();
            for (RunOutcome r : v.runs()) {
                if (!r.ok()) {
                    runs.add(new ExperimentResult.Run(r.seed(), false, r.error(), Double.NaN, Double.NaN, r.dir()));
                    continue;
                }
                RunMetrics m;
                try {
                    m = RunMetrics.read(r.dir());
                } catch (RuntimeException e) {
                    runs.add(new ExperimentResult.Run(r.seed(), false, e.getMessage(), Double.NaN, Double.NaN, r.dir()));
                    continue;
                }
                double fin = m.finalValLoss(), best = m.bestValLoss();
                if (!Double.isFinite(fin)) {
                    runs.add(new ExperimentResult.Run(r.seed(), false, "no finite val loss in its metrics.jsonl", fin, best, r.dir()));
                    continue;
                }
                runs.add(new ExperimentResult.Run(r.seed(), true, "", fin, best, r.dir(), m.medianStepMs()));
                m.lastProbeScalars().forEach((k, x) -> {
                    if (!Double.isFinite(x)) return;
                    double[] s = probeSums.computeIfAbsent(k, q -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
                    s[0] += x;
                    s[1]++;
                    s[2] = Math.min(s[2], x);
                    s[3] = Math.max(s[3], x);
                });
            }
            double[] fin = runs.stream().filter(ExperimentResult.Run::ok).mapToDouble(ExperimentResult.Run::finalLoss).toArray();
            double[] best = runs.stream().filter(ExperimentResult.Run::ok).mapToDouble(ExperimentResult.Run::bestLoss).toArray();
            double[] ppl = java.util.Arrays.stream(fin).map(Math::exp).toArray();
            Optional<ExperimentResult.Change> change = Optional.empty();
            if (baseline != null) {
                double[][] p = Stats.paired(baseline, runs);
                change = Stats.relativeChange(p[0], p[1], threshold);
            }
            Map<String, Double> probes = new LinkedHashMap<>();
            // A channel index is a label, not a quantity: kept where every seed agrees, otherwise NaN ("seeds differ").
            probeSums.forEach((k, s) -> probes.put(k, !k.contains("_channel/") ? s[0] / s[1]
                    : s[2] == s[3] ? s[2] : Double.NaN));
            out.add(new ExperimentResult.Variant(v.name(), v.settings(), runs, Stats.summary(fin), Stats.summary(best), Stats.summary(ppl), change, probes));
            if (baseline == null) baseline = runs;
        }
        return new ExperimentResult(folder, threshold, out);
    }

    /** Writes compare.csv, compare-runs.csv and compare.html into the result's folder; returns the HTML file. */
    public static Path write(ExperimentResult r, List<String> conclusions) throws IOException {
        Path dir = r.folder();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("compare.csv"), variantsCsv(r), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("compare-runs.csv"), runsCsv(r), StandardCharsets.UTF_8);
        Path html = dir.resolve("compare.html");
        Files.writeString(html, html(r, conclusions), StandardCharsets.UTF_8);
        return html;
    }

    // ------------------------------------------------------------------ text

    /** The summary as a plain-text table, for the terminal. */
    public static String text(ExperimentResult r) {
        List<List<String>> rows = summaryRows(r);
        List<String> header = summaryHeader(r);
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> row : rows) w[i] = Math.max(w[i], row.get(i).length());
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : concat(List.of(header), rows)) {
            for (int i = 0; i < w.length; i++) sb.append(String.format("%-" + (w[i] + 2) + "s", row.get(i)));
            sb.append('\n');
        }
        return sb.toString().replaceAll(" +\n", "\n");
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> o = new ArrayList<>(a);
        o.addAll(b);
        return o;
    }

    private static List<String> summaryHeader(ExperimentResult r) {
        return List.of("variant", "runs ok", "final val loss", "best val loss", "perplexity", "ppl change vs " + r.variants().getFirst().name(),
                "95% CI", "interesting (≤ -" + plainPct(r.threshold()) + ")");
    }

    private static List<List<String>> summaryRows(ExperimentResult r) {
        List<List<String>> rows = new ArrayList<>();
        for (ExperimentResult.Variant v : r.variants()) {
            long ok = v.runs().size() - v.failed();
            String change = "baseline", ci = "", interesting = "";
            if (v != r.variants().getFirst()) {
                if (v.change().isPresent()) {
                    var c = v.change().get();
                    change = pct(c.estimate());
                    ci = Double.isNaN(c.low()) ? "n/a (1 seed)" : "[" + pct(c.low()) + ", " + pct(c.high()) + "]";
                    interesting = c.ciBeyondThreshold() ? "yes (whole CI)" : c.meetsThreshold() ? "yes (estimate only)" : "no";
                } else {
                    change = "n/a";
                    interesting = "n/a";
                }
            }
            rows.add(List.of(v.name(), ok + "/" + v.runs().size(), pm(v.finalLoss()), pm(v.bestLoss()), pm(v.perplexity()), change, ci, interesting));
        }
        return rows;
    }

    /** The longest common prefix of dotted paths that ends at a dot, so what remains is never empty. */
    static String commonPrefix(List<String> paths) {
        if (paths.size() < 2) return "";
        String p = paths.getFirst();
        for (String s : paths) while (!s.startsWith(p)) p = p.substring(0, p.length() - 1);
        int dot = p.lastIndexOf('.');
        p = dot < 0 ? "" : p.substring(0, dot + 1);
        for (String s : paths) if (s.length() == p.length()) return "";
        return p;
    }

    static String pct(double x) {
        return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%+.2f%%", 100 * x);
    }

    static String plainPct(double x) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * x);
    }

    private static String pm(ExperimentResult.Summary s) {
        if (s.n() == 0) return "n/a";
        return String.format(Locale.ROOT, "%.4f", s.mean()) + (Double.isNaN(s.std()) ? "" : String.format(Locale.ROOT, " ± %.4f", s.std()));
    }

    // ------------------------------------------------------------------ CSV

    static String csv(List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String f : fields) {
            String s = f == null ? "" : f;
            out.add(s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
        }
        return String.join(",", out) + "\n";
    }

    static String n(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String variantsCsv(ExperimentResult r) {
        Set<String> probeKeys = new LinkedHashSet<>();
        for (var v : r.variants()) probeKeys.addAll(v.probes().keySet());
        List<String> header = new ArrayList<>(List.of("variant", "settings", "runs", "failed", "final_val_loss_mean", "final_val_loss_std",
                "best_val_loss_mean", "best_val_loss_std", "perplexity_mean", "perplexity_std", "rel_ppl_change", "rel_ppl_change_ci95_low",
                "rel_ppl_change_ci95_high", "pairs", "threshold", "meets_threshold", "ci_beyond_threshold"));
        header.addAll(probeKeys);
        StringBuilder sb = new StringBuilder(csv(header));
        for (var v : r.variants()) {
            List<String> row = new ArrayList<>();
            row.add(v.name());
            row.add(settings(v.settings()));
            row.add(Integer.toString(v.runs().size()));
            row.add(Long.toString(v.failed()));
            for (var s : List.of(v.finalLoss(), v.bestLoss(), v.perplexity())) {
                row.add(n(s.mean()));
                row.add(n(s.std()));
            }
            if (v.change().isPresent()) {
                var c = v.change().get();
                row.addAll(List.of(n(c.estimate()), n(c.low()), n(c.high()), Integer.toString(c.pairs()), n(r.threshold()),
                        Boolean.toString(c.meetsThreshold()), Boolean.toString(c.ciBeyondThreshold())));
            } else {
                row.addAll(List.of("", "", "", "", n(r.threshold()), "", ""));
            }
            for (String k : probeKeys) row.add(v.probes().containsKey(k) ? n(v.probes().get(k)) : "");
            sb.append(csv(row));
        }
        return sb.toString();
    }

    private static String settings(Map<String, String> s) {
        List<String> parts = new ArrayList<>();
        s.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
        return String.join(" ", parts);
    }

    private static String runsCsv(ExperimentResult r) {
        StringBuilder sb = new StringBuilder(csv(List.of("variant", "seed", "status", "final_val_loss", "best_val_loss", "perplexity", "dir", "error")));
        for (var v : r.variants())
            for (var run : v.runs())
                sb.append(csv(List.of(v.name(), Long.toString(run.seed()), run.ok() ? "ok" : "failed", n(run.finalLoss()), n(run.bestLoss()),
                        n(Math.exp(run.finalLoss())), r.folder().toAbsolutePath().relativize(run.dir().toAbsolutePath()).toString(), oneLine(run.error()))));
        return sb.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\n\\s*", " | ");
    }

    // ------------------------------------------------------------------ HTML

    private static String html(ExperimentResult r, List<String> conclusions) {
        Path dir = r.folder();
        Html h = new Html("nanolab compare: " + dir.toAbsolutePath().normalize().getFileName());
        h.note("Folder: " + dir.toAbsolutePath().normalize() + ". Every variant ran with the same data and the same seeds; "
                + "losses are the val loss in nats per token, perplexity is exp(loss).");
        h.h2("Summary");
        h.table(summaryHeader(r), summaryRows(r));
        h.note("Relative perplexity change against " + r.variants().getFirst().name() + ", paired by seed: d_s = L_variant,s - L_baseline,s "
                + "(the final val losses of seed s); change = exp(mean d) - 1; 95% CI = exp(mean d ± t(0.975, n-1) · sd(d)/√n) - 1, "
                + "Student's t over the n seeds where both runs finished. Mean ± sample standard deviation (n - 1) over seeds. "
                + "Interesting: the change is at most -" + plainPct(r.threshold()) + " (a perplexity improvement of at least "
                + plainPct(r.threshold()) + "); 'whole CI' when even the interval's upper end is.");
        if (!conclusions.isEmpty()) {
            h.h2("Conclusions");
            for (String c : conclusions) h.p(c);
        }

        h.h2("Curves");
        List<Charts.Line> val = new ArrayList<>(), train = new ArrayList<>();
        for (int i = 0; i < r.variants().size(); i++) {
            var v = r.variants().get(i);
            boolean first = true;
            for (var run : v.runs()) {
                if (!Files.exists(run.dir().resolve("metrics.jsonl"))) continue;
                RunMetrics m = RunMetrics.read(run.dir());
                double[][] vl = m.series("eval", "val_loss"), tl = m.series("eval", "train_loss");
                val.add(new Charts.Line(v.name(), vl[0], vl[1], Charts.color(i), !run.ok(), first));
                train.add(new Charts.Line(v.name(), tl[0], tl[1], Charts.color(i), !run.ok(), first));
                first = false;
            }
        }
        if (Charts.lines(dir.resolve("compare-val-loss.png"), "Val loss, every run (one colour per variant)", "iteration", "val loss", val))
            h.img("compare-val-loss.png", "val loss of every run");
        if (Charts.lines(dir.resolve("compare-train-loss.png"), "Train loss at evaluations, every run", "iteration", "train loss", train))
            h.img("compare-train-loss.png", "train loss of every run");
        h.note("Failed runs, if any, are dashed.");

        h.h2("Per layer: kurtosis and max |x|");
        Set<String> layers = new LinkedHashSet<>();
        for (var v : r.variants())
            for (String k : v.probes().keySet())
                if (k.startsWith("act_kurtosis_pearson/") || k.startsWith("act_max_abs/")) layers.add(k.substring(k.indexOf('/') + 1));
        if (layers.isEmpty()) {
            h.note("No probe values: the runs carried no kurtosis or max-abs probes.");
        } else {
            List<String> header = new ArrayList<>(List.of("layer output"));
            for (var v : r.variants()) {
                header.add(v.name() + ": kurtosis (Pearson)");
                header.add(v.name() + ": max |x|");
                header.add(v.name() + ": channel");
            }
            List<List<String>> rows = new ArrayList<>();
            for (String l : layers) {
                List<String> row = new ArrayList<>(List.of(l));
                for (var v : r.variants())
                    for (String metric : SIDE_BY_SIDE) {
                        Double x = v.probes().get(metric + "/" + l);
                        row.add(x == null ? "" : x.isNaN() && metric.contains("_channel") ? "seeds differ" : Html.num(x));
                    }
                rows.add(row);
            }
            h.table(header, rows);
            h.note("Values of the last evaluation, averaged over each variant's successful runs; the channel of the largest |x| "
                    + "is shown where every seed agrees on it. Kurtosis is Pearson's m4/m2^2: 3 for a normal distribution.");
            List<String> cats = new ArrayList<>(layers);
            for (String metric : List.of("act_kurtosis_pearson", "act_max_abs")) {
                Map<String, double[]> groups = new LinkedHashMap<>();
                for (var v : r.variants()) {
                    double[] ys = new double[cats.size()];
                    for (int i = 0; i < cats.size(); i++) {
                        Double x = v.probes().get(metric + "/" + cats.get(i));
                        ys[i] = x == null ? Double.NaN : x;
                    }
                    groups.put(v.name(), ys);
                }
                String file = "compare-" + metric + ".png";
                String prefix = commonPrefix(cats);
                String title = (metric.equals("act_max_abs") ? "Max |x| per layer output" : "Kurtosis (Pearson, normal = 3) per layer output")
                        + (prefix.isEmpty() ? "" : " (" + prefix + "...)");
                List<String> shortCats = cats.stream().map(c -> c.substring(prefix.length())).toList();
                if (Charts.bars(dir.resolve(file), title, metric.equals("act_max_abs") ? "max |x|" : "kurtosis", shortCats, groups)) h.img(file, title);
            }
        }

        h.h2("Runs");
        List<List<String>> rows = new ArrayList<>();
        for (var v : r.variants())
            for (var run : v.runs())
                rows.add(List.of(v.name(), Long.toString(run.seed()), run.ok() ? "ok" : "FAILED", Html.num(run.finalLoss()), Html.num(run.bestLoss()),
                        Html.num(Math.exp(run.finalLoss())), dir.toAbsolutePath().relativize(run.dir().toAbsolutePath()).toString(), oneLine(run.error())));
        h.table(List.of("variant", "seed", "status", "final val loss", "best val loss", "perplexity", "folder", "error"), rows);
        return h.finish();
    }
}
