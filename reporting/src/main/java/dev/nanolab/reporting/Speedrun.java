package dev.nanolab.reporting;

import dev.nanolab.api.experiment.ExperimentResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A speedrun's result: for each recipe and seed, whether the run reached train.target_val_loss, after how many steps
 * and how much training time (evaluations excluded); and the time-to-target ratio of a recipe against the baseline,
 * paired by seed with compare's interval: on r_s = ln(t_recipe,s / t_baseline,s), the ratio is exp(r̄) (a geometric
 * mean) and its 95% interval exp(r̄ ± t_{0.975, n−1}·s_r/√n) ({@link Stats#relativeChange} on log times).
 */
public final class Speedrun {
    private Speedrun() {}

    /** One run's finish: {@code reached} false when it ran out of steps (or failed) before the target. */
    public record Finish(long seed, boolean reached, long steps, double trainSeconds) {}

    /** A recipe's runs. */
    public record Recipe(String name, List<Finish> runs) {
        public Recipe {
            runs = List.copyOf(runs);
        }
    }

    /** A ratio recipe/baseline and its paired 95% interval (NaN bounds below two pairs), over n seeds. */
    public record Ratio(double estimate, double lo, double hi, int n) {}

    /** The finish of each run of an experiment's variants, read from their metrics.jsonl. */
    public static List<Recipe> read(ExperimentResult r) {
        List<Recipe> out = new ArrayList<>();
        for (ExperimentResult.Variant v : r.variants()) {
            List<Finish> runs = new ArrayList<>();
            for (ExperimentResult.Run run : v.runs()) runs.add(finish(run));
            out.add(new Recipe(v.name(), runs));
        }
        return out;
    }

    static Finish finish(ExperimentResult.Run run) {
        if (!run.ok()) return new Finish(run.seed(), false, -1, Double.NaN);
        return RunMetrics.read(run.dir()).target()
                .map(t -> new Finish(run.seed(), true, t.path("iter").asLong(), t.path("train_time_s").asDouble()))
                .orElse(new Finish(run.seed(), false, -1, Double.NaN));
    }

    /** Training time to target, recipe over baseline, over the seeds where both reached it. */
    public static Optional<Ratio> timeRatio(Recipe baseline, Recipe recipe) {
        return ratio(baseline, recipe, Finish::trainSeconds);
    }

    /** Steps to target, recipe over baseline, over the seeds where both reached it. */
    public static Optional<Ratio> stepRatio(Recipe baseline, Recipe recipe) {
        return ratio(baseline, recipe, f -> f.steps());
    }

    static Optional<Ratio> ratio(Recipe baseline, Recipe recipe, ToDoubleFunction<Finish> measure) {
        List<double[]> pairs = new ArrayList<>();
        for (Finish b : baseline.runs())
            for (Finish v : recipe.runs())
                if (b.seed() == v.seed() && b.reached() && v.reached() && measure.applyAsDouble(b) > 0 && measure.applyAsDouble(v) > 0)
                    pairs.add(new double[] {Math.log(measure.applyAsDouble(b)), Math.log(measure.applyAsDouble(v))});
        double[] lb = pairs.stream().mapToDouble(p -> p[0]).toArray(), lv = pairs.stream().mapToDouble(p -> p[1]).toArray();
        return Stats.relativeChange(lb, lv, 0).map(c -> new Ratio(1 + c.estimate(), 1 + c.low(), 1 + c.high(), c.pairs()));
    }

    /** The race table: each recipe's time and steps to target (mean ± std over the runs that reached it), then ratios. */
    public static String text(List<Recipe> recipes, double target) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "speedrun to val loss %.4f%n", target));
        sb.append(String.format(Locale.ROOT, "%-22s %8s %20s %18s%n", "recipe", "reached", "train time (s)", "steps"));
        for (Recipe r : recipes) {
            double[] t = r.runs().stream().filter(Finish::reached).mapToDouble(Finish::trainSeconds).toArray();
            double[] s = r.runs().stream().filter(Finish::reached).mapToDouble(Finish::steps).toArray();
            sb.append(String.format(Locale.ROOT, "%-22s %5d/%-2d %20s %18s%n", r.name(), t.length, r.runs().size(), meanStd(t), meanStd(s)));
        }
        Recipe base = recipes.getFirst();
        for (Recipe r : recipes.subList(1, recipes.size())) {
            sb.append(line(r.name() + "/" + base.name() + " time to target", timeRatio(base, r)));
            sb.append(line(r.name() + "/" + base.name() + " steps to target", stepRatio(base, r)));
        }
        return sb.toString();
    }

    private static String line(String what, Optional<Ratio> ratio) {
        return ratio.map(x -> String.format(Locale.ROOT, "%s: %.3f (95%% CI %s, paired over %d seeds)%n", what, x.estimate(),
                        Double.isNaN(x.lo()) ? "needs 2 seeds" : String.format(Locale.ROOT, "%.3f to %.3f", x.lo(), x.hi()), x.n()))
                .orElse(what + ": no seed where both reached the target\n");
    }

    private static String meanStd(double[] x) {
        if (x.length == 0) return "-";
        if (x.length == 1) return String.format(Locale.ROOT, "%.1f", x[0]);
        return String.format(Locale.ROOT, "%.1f ± %.1f", Stats.mean(x), Stats.std(x));
    }

    /** speedrun.csv: one row per run (recipe, seed, reached, steps, train seconds). */
    public static Path writeCsv(Path folder, List<Recipe> recipes) throws IOException {
        StringBuilder sb = new StringBuilder("recipe,seed,reached,steps,train_time_s\n");
        for (Recipe r : recipes)
            for (Finish f : r.runs())
                sb.append(String.format(Locale.ROOT, "%s,%d,%b,%d,%s%n", r.name(), f.seed(), f.reached(), f.steps(),
                        f.reached() ? String.format(Locale.ROOT, "%.3f", f.trainSeconds()) : ""));
        Path file = folder.resolve("speedrun.csv");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }
}
