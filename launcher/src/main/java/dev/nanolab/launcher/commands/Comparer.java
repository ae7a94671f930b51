package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.experiment.ExperimentResult;
import dev.nanolab.api.experiment.Variation;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.reporting.Comparison;
import dev.nanolab.training.data.PreparedData;
import dev.nanolab.training.train.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * The engine of {@code nanolab compare} and {@code nanolab run}: every variant (each combination of the variations'
 * values; the first is the baseline) is trained once per seed, as a child {@code bin/nanolab train} process with its
 * own out_dir {@code FOLDER/VARIANT/seed-S}, several at a time when cores allow. The data is prepared once, in this
 * process, before any child starts, so children never race to write it. A child that fails is recorded as failed
 * (with the end of its log) and the others go on.
 *
 * <p>Parallelism: with the cpu backend at {@code threads: 0} (one per core), {@code jobs} children run at a time
 * (default: as many as there are cores, at most the number of runs) and each gets
 * {@code backend.threads = max(1, cores / jobs)}, the same for every run; with an explicit thread count, jobs default
 * to cores / threads. Other backends run one child at a time unless {@code --jobs} says otherwise.
 */
final class Comparer {
    /** One training run to do. */
    record Planned(String variant, Map<String, String> settings, long seed, Path dir, Path config) {}

    private final ComponentRegistry registry;
    private final Path home;
    private final List<String> globalArgs;
    private final PrintStream out;

    Comparer(ComponentRegistry registry, Path home, List<String> globalArgs, PrintStream out) {
        if (home == null || !Files.isExecutable(home.resolve("bin/nanolab")))
            throw new NanolabException("compare trains each run as a child 'bin/nanolab train' process, so it needs the distribution: "
                    + "run it through bin/nanolab or ./nanolab (nanolab.home is " + (home == null ? "not set" : home) + ")");
        this.registry = registry;
        this.home = home;
        this.globalArgs = globalArgs;
        this.out = out;
    }

    /** The global options of this command line that children must repeat (plugin path, module list, verbose). */
    static List<String> globalArgs(CommandLine.Model.CommandSpec spec) {
        List<String> args = new ArrayList<>();
        for (CommandLine.ParseResult pr = spec.root().commandLine().getParseResult(); pr != null; pr = pr.subcommand()) {
            for (String name : List.of("--plugin-path", "--modules")) {
                if (!pr.hasMatchedOption(name)) continue;
                for (String v : pr.matchedOption(name).originalStringValues()) {
                    args.add(name);
                    args.add(v);
                }
            }
            if (pr.hasMatchedOption("--verbose")) args.add("--verbose");
        }
        return args;
    }

    /** Splits {@code a,b,[c,d]} at top-level commas. */
    static List<String> splitValues(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == '{') depth++;
            else if (c == ']' || c == '}') depth--;
            else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(text.substring(start).strip());
        return out;
    }

    /** {@code --vary KEY=V1,V2} as a variation. */
    static Variation parseVary(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq == arg.length() - 1)
            throw new NanolabException("--vary needs KEY=VALUE1,VALUE2,..., got '" + arg + "'");
        List<String> values = splitValues(arg.substring(eq + 1));
        if (values.stream().anyMatch(String::isEmpty)) throw new NanolabException("--vary " + arg + ": an empty value");
        try {
            return new Variation(arg.substring(0, eq).strip(), values);
        } catch (IllegalArgumentException e) {
            throw new NanolabException("--vary " + arg + ": " + e.getMessage());
        }
    }

    /** Every combination of the variations' values, the first variation's values changing slowest. */
    static List<Map<String, String>> combinations(List<Variation> variations) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Variation v : variations) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out)
                for (String value : v.values()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(v.key(), value);
                    next.add(m);
                }
            out = next;
        }
        return out;
    }

    /** A variant's label: the value alone for one variation, else {@code lastKeySegment=value} pairs. */
    static String label(Map<String, String> settings) {
        if (settings.isEmpty()) return "base";
        if (settings.size() == 1) return settings.values().iterator().next();
        List<String> parts = new ArrayList<>();
        settings.forEach((k, v) -> parts.add(k.substring(k.lastIndexOf('.') + 1) + "=" + v));
        return String.join(" ", parts);
    }

    static String slug(String label) {
        String s = label.replaceAll("[^A-Za-z0-9._=+-]+", "_");
        return s.isEmpty() ? "variant" : s;
    }

    /**
     * Runs the comparison and summarises it (files are written by the caller, after its own conclusions).
     *
     * @param base   the base config tree (preset, file, overrides), without variations
     * @param probes probe names every run gets (empty: keep the base config's)
     * @param jobs   children at a time, 0 = decide from the cores
     */
    ExperimentResult run(ObjectNode base, List<Variation> variations, int seeds, List<String> probes, Path folder, int jobs,
                         double threshold) throws IOException, InterruptedException {
        Set<String> keys = new LinkedHashSet<>();
        for (Variation v : variations)
            if (!keys.add(v.key())) throw new NanolabException("--vary names " + v.key() + " twice");
        List<Recipe> recipes = new ArrayList<>();
        for (Map<String, String> combo : combinations(variations)) {
            ObjectNode t = base.deepCopy();
            List<String> sets = new ArrayList<>();
            combo.forEach((k, v) -> sets.add(k + "=" + v));
            ConfigTree.override(t, sets);
            recipes.add(new Recipe(label(combo), combo, t));
        }
        return runRecipes(recipes, seeds, probes, folder, jobs, threshold);
    }

    /**
     * A variant given as a whole config tree: what {@code speedrun} compares (two presets, or one preset with a piece
     * removed), where a variation of one key would not do.
     *
     * @param label    its name in tables and its folder's
     * @param settings what distinguishes it, key to value, for the tables
     * @param tree     its config tree, without seed and out_dir (set per run)
     */
    record Recipe(String label, Map<String, String> settings, ObjectNode tree) {}

    /** Trains every recipe over the seeds (the first recipe's seed, +1, ...) and summarises as {@link #run} does. */
    ExperimentResult runRecipes(List<Recipe> recipes, int seeds, List<String> probes, Path folder, int jobs, double threshold)
            throws IOException, InterruptedException {
        if (seeds < 1) throw new NanolabException("--seeds must be at least 1, got " + seeds);
        if (recipes.isEmpty()) throw new NanolabException("nothing to compare: no variants");
        Set<String> slugs = new LinkedHashSet<>();
        for (Recipe r : recipes)
            if (!slugs.add(slug(r.label()))) throw new NanolabException("two variants share the folder name " + slug(r.label()));

        ObjectNode tree = recipes.getFirst().tree().deepCopy();
        if (!probes.isEmpty()) {
            ArrayNode a = tree.putArray("probes");
            probes.forEach(a::add);
        }
        RunConfigs baseRc = RunConfigs.bind(registry, tree.deepCopy());
        long seed0 = baseRc.config().seed();
        int cores = Runtime.getRuntime().availableProcessors();
        int runCount = recipes.size() * seeds;
        boolean cpu = baseRc.config().backend().name().equals("cpu");
        JsonNode threadsNode = RunConfigs.tree(baseRc.config()).path("backend").path("threads");
        int threads = cpu ? threadsNode.asInt(0) : 0;
        int j = jobs > 0 ? jobs : cpu ? Math.max(1, Math.min(runCount, threads > 0 ? cores / threads : cores)) : 1;
        boolean setThreads = cpu && threads == 0;
        if (setThreads) threads = Math.max(1, cores / j);

        Files.createDirectories(folder);
        List<Planned> plan = new ArrayList<>();
        Map<String, RunConfigs> firstOfData = new LinkedHashMap<>();
        for (int s = 0; s < seeds; s++) {
            for (Recipe recipe : recipes) {
                ObjectNode t = recipe.tree().deepCopy();
                if (!probes.isEmpty()) {
                    ArrayNode a = t.putArray("probes");
                    probes.forEach(a::add);
                }
                if (setThreads) ConfigTree.set(t, "backend.threads=" + threads);
                long seed = seed0 + s;
                Path dir = folder.resolve(slug(recipe.label())).resolve("seed-" + seed);
                t.put("seed", seed);
                t.put("out_dir", dir.toString());
                RunConfigs rc;
                try {
                    rc = RunConfigs.bind(registry, t);
                } catch (RuntimeException e) {
                    throw new NanolabException("variant " + recipe.label() + ": " + e.getMessage(), e);
                }
                Files.createDirectories(dir);
                Path cfg = dir.resolve("compare-config.yaml");
                Files.writeString(cfg, rc.yaml(), StandardCharsets.UTF_8);
                plan.add(new Planned(recipe.label(), recipe.settings(), seed, dir, cfg));
                var c = rc.config();
                firstOfData.putIfAbsent(c.dataset() + "|" + c.tokenizer() + "|" + c.data(), rc);
            }
        }

        out.printf("compare: %d variant(s) x %d seed(s) = %d runs in %s; %d at a time%s%n", recipes.size(), seeds, runCount, folder, j,
                cpu ? ", " + threads + " thread(s) each" : "");
        for (RunConfigs rc : firstOfData.values()) {
            try (PreparedData d = TrainingRun.prepare(rc.config(), registry, out)) {
                out.printf("data: %s (%,d train, %,d val tokens)%n", d.dir(), d.train().count(), d.val().count());
            }
        }

        long t0 = System.nanoTime();
        Map<Planned, Comparison.RunOutcome> outcomes = new LinkedHashMap<>();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(j);
        try {
            List<Future<Comparison.RunOutcome>> futures = new ArrayList<>();
            for (Planned p : plan) futures.add(pool.submit(() -> train(p, done, runCount)));
            for (int i = 0; i < plan.size(); i++) {
                try {
                    outcomes.put(plan.get(i), futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    outcomes.put(plan.get(i), new Comparison.RunOutcome(plan.get(i).seed(), plan.get(i).dir(), false, String.valueOf(c)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        out.printf(Locale.ROOT, "compare: %d runs in %.1f minutes%n", runCount, (System.nanoTime() - t0) / 6e10);

        List<Comparison.VariantRuns> variants = new ArrayList<>();
        for (Recipe recipe : recipes) {
            List<Comparison.RunOutcome> runs = new ArrayList<>();
            for (Planned p : plan) if (p.variant().equals(recipe.label())) runs.add(outcomes.get(p));
            variants.add(new Comparison.VariantRuns(recipe.label(), recipe.settings(), runs));
        }
        return Comparison.summarize(folder, threshold, variants);
    }

    /** One child {@code bin/nanolab train}; its output goes to DIR/train.log. */
    private Comparison.RunOutcome train(Planned p, AtomicInteger done, int total) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/nanolab").toString());
        cmd.addAll(globalArgs);
        cmd.addAll(List.of("train", "--config", p.config().toString()));
        Path log = p.dir().resolve("train.log");
        long t0 = System.nanoTime();
        synchronized (out) {
            out.printf("  start  %s, seed %d -> %s%n", p.variant(), p.seed(), p.dir());
        }
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code;
        try {
            code = proc.waitFor();
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            throw e;
        }
        double min = (System.nanoTime() - t0) / 6e10;
        int n = done.incrementAndGet();
        if (code == 0) {
            synchronized (out) {
                out.printf(Locale.ROOT, "  [%d/%d] %s, seed %d: done in %.1f min%n", n, total, p.variant(), p.seed(), min);
            }
            return new Comparison.RunOutcome(p.seed(), p.dir(), true, "");
        }
        String tail = tail(log, 5);
        synchronized (out) {
            out.printf(Locale.ROOT, "  [%d/%d] %s, seed %d: FAILED (exit %d) after %.1f min: %s%n", n, total, p.variant(), p.seed(), code, min,
                    tail.lines().reduce((a, b) -> b).orElse(""));
        }
        return new Comparison.RunOutcome(p.seed(), p.dir(), false, "exit " + code + ": " + tail);
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The standard probes that are loaded (a build without plugin-probes gets none). */
    static List<String> availableProbes(ComponentRegistry registry, List<String> wanted) {
        Set<String> known = new LinkedHashSet<>();
        registry.specs(ComponentKind.PROBE).forEach(s -> known.add(s.name()));
        return wanted.stream().filter(known::contains).toList();
    }

    /** Whether a config tree names probes already. */
    static boolean hasProbes(ObjectNode tree) {
        JsonNode p = tree.get("probes");
        return p != null && !p.isNull() && (!p.isArray() || !p.isEmpty());
    }
}
