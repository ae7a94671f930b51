package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.experiment.ExperimentResult;
import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.Session;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.reporting.Speedrun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nanolab speedrun}: the CPU speedrun. A race trains speedrun-baseline and speedrun-modern over the same seeds
 * until each reaches the target val loss and reports time and steps to target, the modern/baseline ratio with its
 * interval paired by seed. {@code --ablation} trains the modern recipe with one piece removed at a time for a fixed
 * step budget and reports each piece's contribution: the val-loss (perplexity) change when it is removed, paired by
 * seed, as compare does. Both run through compare's machinery (child processes, same data, same seeds).
 */
@Command(name = "speedrun", description = {
        "The CPU speedrun: train speedrun-baseline (nanoGPT's GPT + AdamW) and speedrun-modern (modded-nanogpt's recipe)",
        "to a target val loss over the same seeds; report training time and steps to target and the modern/baseline ratio",
        "with a 95% CI paired by seed. --ablation: the modern recipe with one piece removed at a time, for a fixed number",
        "of steps, and each piece's contribution (the perplexity change without it, paired by seed). Writes speedrun.csv",
        "(race), compare.csv and compare.html into --out."})
public final class SpeedrunCommand implements Callable<Integer> {
    /**
     * The ablation's default step budget: 18 variants × 2 seeds, two runs at a time on one core each, in under 2
     * hours on 2 cores (docs/benchmarks.md has the estimate).
     */
    static final long ABLATION_STEPS = 300;

    private final Session session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seeds", description = "Runs per recipe, seeds seed, seed+1, ... (default: 3 for the race, 2 for the ablation).")
    Integer seeds;

    @Option(names = "--target", description = "The target val loss (default: the presets' train.target_val_loss).")
    Double target;

    @Option(names = "--baseline", defaultValue = "speedrun-baseline", description = "The baseline: a preset or a YAML file (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--modern", defaultValue = "speedrun-modern", description = "The modern recipe: a preset or a YAML file (default: ${DEFAULT-VALUE}).")
    String modern;

    @Option(names = "--ablation", description = "Remove one piece of the modern recipe at a time instead of racing.")
    boolean ablation;

    @Option(names = "--pieces", split = ",", paramLabel = "NAME[,NAME...]", description = "The pieces to ablate (default: all of them).")
    List<String> pieces;

    @Option(names = "--steps", description = "The ablation's step budget per run (default: " + ABLATION_STEPS + ").")
    Long steps;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override every recipe, e.g. --set train.batch_size=4 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "The folder (default: runs/speedrun or runs/speedrun-ablation).")
    Path out;

    @Option(names = "--jobs", defaultValue = "0", description = "Runs at a time; 0 = one per core (default).")
    int jobs;

    SpeedrunCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        var registry = session.plugins().registry();
        Comparer c = new Comparer(registry, session.home(), Comparer.globalArgs(spec), System.out);
        return ablation ? ablate(c) : race(c);
    }

    /** A preset by name, or a YAML file (a path ending in .yaml or .yml), then --set, then {@code extra}. */
    private ObjectNode tree(String preset, List<String> extra) {
        ObjectNode t = preset.endsWith(".yaml") || preset.endsWith(".yml") ? ConfigTree.read(Path.of(preset)) : ConfigOptions.presetTree(preset);
        ConfigTree.override(t, sets);
        ConfigTree.override(t, extra);
        return t;
    }

    private int race(Comparer c) throws Exception {
        if (pieces != null || steps != null) throw new NanolabException("--pieces and --steps are for --ablation");
        List<String> extra = target == null ? List.of() : List.of("train.target_val_loss=" + target);
        ObjectNode base = tree(baseline, extra), mod = tree(modern, extra);
        double goal = base.path("train").path("target_val_loss").asDouble(0);
        if (!(goal > 0) || goal != mod.path("train").path("target_val_loss").asDouble(0))
            throw new NanolabException("speedrun: both presets need the same train.target_val_loss > 0 (baseline " + goal + ", modern "
                    + mod.path("train").path("target_val_loss").asDouble(0) + "); set one with --target");
        List<Comparer.Recipe> recipes = List.of(new Comparer.Recipe("baseline", Map.of("preset", baseline), base),
                new Comparer.Recipe("modern", Map.of("preset", modern), mod));
        PrintStream log = System.out;
        ExperimentResult r = c.runRecipes(recipes, seeds != null ? seeds : 3, List.of(), out != null ? out : Path.of("runs", "speedrun"), jobs, 0.05);
        List<Speedrun.Recipe> finishes = Speedrun.read(r);
        Path csv = Speedrun.writeCsv(r.folder(), finishes);
        List<String> lines = new ArrayList<>(Speedrun.text(finishes, goal).lines().toList());
        lines.add("wrote " + csv);
        return CompareCommand.finish(r, lines, log);
    }

    private int ablate(Comparer c) throws Exception {
        if (target != null) throw new NanolabException("--target is for the race; the ablation runs a fixed number of steps (--steps)");
        long n = steps != null ? steps : ABLATION_STEPS;
        if (n < 1) throw new NanolabException("--steps must be at least 1, got " + n);
        List<String> chosen = pieces != null ? pieces : List.copyOf(AblationPieces.PIECES.keySet());
        for (String p : chosen)
            if (!AblationPieces.PIECES.containsKey(p))
                throw new NanolabException("--pieces: unknown piece '" + p + "' (pieces: " + String.join(", ", AblationPieces.PIECES.keySet()) + ")");
        // The schedules, the momentum warmup and the window growth are scaled to the budget as the preset scales them to its max_iters.
        // Evaluations: four over the run, the last on 20 batches, since each piece is judged by the final val loss.
        List<String> budget = List.of("train.max_iters=" + n, "train.target_val_loss=0", "schedule.total_iters=" + n,
                "model.window_warmup_iters=" + n, "train.eval_interval=" + Math.max(1, n / 4), "train.eval_iters=20");
        List<Comparer.Recipe> recipes = new ArrayList<>();
        recipes.add(new Comparer.Recipe("modern", Map.of(), tree(modern, budget)));
        for (String p : chosen) {
            List<String> overrides = new ArrayList<>(budget);
            overrides.addAll(AblationPieces.PIECES.get(p));
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("without", p);
            recipes.add(new Comparer.Recipe("no-" + p, settings, tree(modern, overrides)));
        }
        ExperimentResult r = c.runRecipes(recipes, seeds != null ? seeds : 2, List.of(), out != null ? out : Path.of("runs", "speedrun-ablation"), jobs, 0.0);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(java.util.Locale.ROOT, "ablation of %s over %d steps: each piece's contribution is the perplexity change when it is removed"
                + " (positive: the piece helps)", modern, n));
        for (ExperimentResult.Variant v : r.variants().subList(1, r.variants().size()))
            lines.add(v.change().map(ch -> String.format(java.util.Locale.ROOT, "  %-18s %+.2f%% (95%% CI %s)", v.name().substring(3), 100 * ch.estimate(),
                            Double.isNaN(ch.low()) ? "needs 2 seeds" : String.format(java.util.Locale.ROOT, "%+.2f%% to %+.2f%%", 100 * ch.low(), 100 * ch.high())))
                    .orElse("  " + v.name().substring(3) + ": no pair of finished runs"));
        return CompareCommand.finish(r, lines, System.out);
    }
}
