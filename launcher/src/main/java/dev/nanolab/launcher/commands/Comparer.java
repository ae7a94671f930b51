package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.experiment.ExperimentResult;
import dev.nanolab.api.experiment.Variation;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.sweep.RunSpec;
import dev.nanolab.api.sweep.RunState;
import dev.nanolab.api.sweep.RunStatus;
import dev.nanolab.api.sweep.Sweep;
import dev.nanolab.api.sweep.SweepExecutor;
import dev.nanolab.api.sweep.SweepSpec;
import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.launcher.sweep.LocalExecutor;
import dev.nanolab.launcher.sweep.SweepExecutors;
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
import picocli.CommandLine;

/**
 * The engine of {@code nanolab compare} and {@code nanolab run}: every variant (each combination of the variations'
 * values; the first is the baseline) is trained once per seed, as a {@code bin/nanolab train} process with its
 * own out_dir {@code FOLDER/VARIANT/seed-S}, started by a {@link SweepExecutor}: child processes here, several at a
 * time when cores allow ({@code local}), or a Slurm job array ({@code slurm}). The data is prepared once, in this
 * process, before any run starts, so runs never race to write it. A run that fails is recorded as failed
 * (with the end of its log) and the others go on. {@code FOLDER/sweep.json} records the plan, so that
 * {@link #collect} can summarise a sweep that was submitted and left ({@code --detach}).
 *
 * <p>Parallelism: with the cpu backend at {@code threads: 0} (one per core), {@code jobs} children run at a time
 * (default: as many as there are cores, at most the number of runs) and each gets
 * {@code backend.threads = max(1, cores / jobs)}, the same for every run; with an explicit thread count, jobs default
 * to cores / threads. Other backends run one child at a time unless {@code --jobs} says otherwise.
 */
final class Comparer {
    /** One training run to do. */
    record Planned(String variant, Map<String, String> settings, long seed, Path dir, Path config) {
        RunSpec spec() {
            return new RunSpec(variant + ", seed " + seed, config, dir);
        }
    }

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
     * How a sweep executes: the executor (and its config tree, which sweep.json keeps for --collect), whether compare
     * returns once the runs are submitted, how often failed runs are tried again, and the experiment whose report hook
     * --collect calls (null for compare).
     */
    record Execution(SweepExecutor executor, ObjectNode executorTree, boolean detach, int retries, String experiment) {
        static Execution local() {
            ObjectNode t = JsonNodeFactory.instance.objectNode().put("name", "local");
            return new Execution(new LocalExecutor(), t, false, 0, null);
        }
    }

    /** What --collect found: the summary, the experiment that planned the sweep (or null), and the runs not finished yet. */
    record Collected(ExperimentResult result, String experiment, List<RunStatus> unfinished) {}

    static final String MANIFEST = "sweep.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Runs the comparison and summarises it (files are written by the caller, after its own conclusions).
     *
     * @param base   the base config tree (preset, file, overrides), without variations
     * @param probes probe names every run gets (empty: keep the base config's)
     * @param jobs   children at a time, 0 = decide from the cores
     */
    ExperimentResult run(ObjectNode base, List<Variation> variations, int seeds, List<String> probes, Path folder, int jobs,
                         double threshold) throws IOException, InterruptedException {
        return run(base, variations, seeds, probes, folder, jobs, threshold, Execution.local());
    }

    /**
     * As {@link #run(ObjectNode, List, int, List, Path, int, double)}, with the runs executed as {@code x} says; null
     * when the sweep was submitted detached ({@code nanolab compare --collect FOLDER} summarises it later).
     */
    ExperimentResult run(ObjectNode base, List<Variation> variations, int seeds, List<String> probes, Path folder, int jobs,
                         double threshold, Execution x) throws IOException, InterruptedException {
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
        return runRecipes(recipes, seeds, probes, folder, jobs, threshold, x);
    }

    /**
     * A variant given as a whole config tree: what {@code speedrun} compares (two presets, or one preset with a piece
     * removed), where a variation of one key would not do.
     *
     * @param label    its name in tables and its folder's
     * @param settings what distinguishes it, key to value, for the tables (distinct per variant)
     * @param tree     its config tree, without seed and out_dir (set per run)
     */
    record Recipe(String label, Map<String, String> settings, ObjectNode tree) {}

    /** Trains every recipe over the seeds (the first recipe's seed, +1, ...) on this machine, as {@link #run} does. */
    ExperimentResult runRecipes(List<Recipe> recipes, int seeds, List<String> probes, Path folder, int jobs, double threshold)
            throws IOException, InterruptedException {
        return runRecipes(recipes, seeds, probes, folder, jobs, threshold, Execution.local());
    }

    /** As {@link #runRecipes(List, int, List, Path, int, double)}, with the runs executed as {@code x} says. */
    ExperimentResult runRecipes(List<Recipe> recipes, int seeds, List<String> probes, Path folder, int jobs, double threshold,
                                Execution x) throws IOException, InterruptedException {
        if (seeds < 1) throw new NanolabException("--seeds must be at least 1, got " + seeds);
        if (recipes.isEmpty()) throw new NanolabException("nothing to compare: no variants");
        if (x.detach() && !x.executor().detachable())
            throw new NanolabException("--detach needs an executor whose runs outlive this process (--executor slurm); the "
                    + x.executor().name() + " executor's runs end with compare");
        if (x.detach() && x.retries() > 0)
            throw new NanolabException("--retry needs compare to wait for the runs, and --detach returns at once: use one of them");
        List<Map<String, String>> combos = recipes.stream().map(Recipe::settings).toList();
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
        boolean here = x.executor().runsHere();
        int j = !here ? Math.max(0, jobs) : jobs > 0 ? jobs : cpu ? Math.max(1, Math.min(runCount, threads > 0 ? cores / threads : cores)) : 1;
        boolean setThreads = cpu && threads == 0;
        // Runs here share the cores; runs elsewhere get the CPUs the executor allocates (one unless told).
        if (setThreads) threads = here ? Math.max(1, cores / j) : Math.max(1, x.executor().cpusPerRun());

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

        if (here)
            out.printf("compare: %d variant(s) x %d seed(s) = %d runs in %s; %d at a time%s%n", recipes.size(), seeds, runCount, folder, j,
                    cpu ? ", " + threads + " thread(s) each" : "");
        else
            out.printf("compare: %d variant(s) x %d seed(s) = %d runs in %s; executor %s, %s%s%n", recipes.size(), seeds, runCount, folder,
                    x.executor().name(), j > 0 ? "at most " + j + " at a time" : "as many at a time as the cluster allows",
                    cpu ? ", " + threads + " thread(s) each" : "");
        for (RunConfigs rc : firstOfData.values()) {
            try (PreparedData d = TrainingRun.prepare(rc.config(), registry, out)) {
                out.printf("data: %s (%,d train, %,d val tokens)%n", d.dir(), d.train().count(), d.val().count());
            }
        }

        SweepSpec spec = new SweepSpec(folder, nanolabCommand(), plan.stream().map(Planned::spec).toList(), j, cpu ? threads : 0);
        writeManifest(folder, spec, x, combos, plan, threshold);
        long t0 = System.nanoTime();
        Sweep sweep = x.executor().submit(spec, out);
        if (x.detach()) {
            out.printf("compare: %d runs submitted (%s); 'nanolab compare --collect %s' writes the report from the runs that have finished%n",
                    runCount, sweep.id(), folder);
            return null;
        }
        List<RunStatus> states = sweep.await();
        for (int attempt = 1; attempt <= x.retries(); attempt++) {
            List<RunSpec> failed = states.stream().filter(r -> r.state() == RunState.FAILED).map(RunStatus::run).toList();
            if (failed.isEmpty()) break;
            out.printf("compare: retry %d of %d: %d failed run(s) again%n", attempt, x.retries(), failed.size());
            sweep.resubmit(failed);
            states = sweep.await();
        }
        out.printf(Locale.ROOT, "compare: %d runs in %.1f minutes%n", runCount, (System.nanoTime() - t0) / 6e10);
        return summarize(folder, threshold, recipes, plan, states);
    }

    private static ExperimentResult summarize(Path folder, double threshold, List<Recipe> recipes, List<Planned> plan,
                                              List<RunStatus> states) {
        List<Comparison.VariantRuns> variants = new ArrayList<>();
        for (Recipe recipe : recipes) {
            List<Comparison.RunOutcome> runs = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                Planned p = plan.get(i);
                if (!p.settings().equals(recipe.settings())) continue;
                RunStatus st = states.get(i);
                String error = st.state() == RunState.DONE ? "" : st.state().finished() ? st.message()
                        : "not finished: " + st.state().lower() + (st.message().isEmpty() ? "" : " (" + st.message() + ")");
                runs.add(new Comparison.RunOutcome(p.seed(), p.dir(), st.state() == RunState.DONE, error));
            }
            variants.add(new Comparison.VariantRuns(recipe.label(), recipe.settings(), runs));
        }
        return Comparison.summarize(folder, threshold, variants);
    }


    /** The command every run starts: this distribution's bin/nanolab with the global options children repeat. */
    private List<String> nanolabCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/nanolab").toAbsolutePath().toString());
        cmd.addAll(globalArgs);
        return cmd;
    }

    /** sweep.json: what --collect needs to find the runs and summarise them as compare would have. */
    private static void writeManifest(Path folder, SweepSpec spec, Execution x, List<Map<String, String>> combos, List<Planned> plan,
                                      double threshold) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", 1);
        m.set("executor", x.executorTree());
        m.put("threshold", threshold);
        if (x.experiment() != null) m.put("experiment", x.experiment());
        spec.nanolab().forEach(m.putArray("nanolab")::add);
        m.put("max_running", spec.maxRunning());
        m.put("cpus_per_run", spec.cpusPerRun());
        ArrayNode vs = m.putArray("variants");
        for (Map<String, String> c : combos) {
            ObjectNode v = vs.addObject();
            v.put("name", label(c));
            ObjectNode st = v.putObject("settings");
            c.forEach(st::put);
        }
        ArrayNode rs = m.putArray("runs");
        for (Planned p : plan)
            rs.addObject().put("variant", combos.indexOf(p.settings())).put("seed", p.seed())
                    .put("dir", p.dir().toAbsolutePath().toString()).put("config", p.config().toAbsolutePath().toString());
        Path tmp = folder.resolve(MANIFEST + ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m), StandardCharsets.UTF_8);
        Files.move(tmp, folder.resolve(MANIFEST), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A sweep folder's sweep.json, or a one-line error saying why there is none. */
    static JsonNode manifest(Path folder) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(file))
            throw new NanolabException("--collect " + folder + ": no " + MANIFEST + " there (compare writes it into its --out folder when it starts the runs)");
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new NanolabException("--collect: " + file + " is not readable JSON: " + e.getMessage(), e);
        }
    }

    /**
     * {@code compare --collect FOLDER}: the summary of a sweep submitted earlier (with --detach, or by a compare that
     * was stopped), from the runs that have finished; runs still queued or running count as not finished.
     */
    Collected collect(Path folder) throws IOException, InterruptedException {
        Path file = folder.resolve(MANIFEST);
        JsonNode m = manifest(folder);
        List<Map<String, String>> combos = new ArrayList<>();
        for (JsonNode v : m.path("variants")) {
            Map<String, String> settings = new LinkedHashMap<>();
            v.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            combos.add(settings);
        }
        List<Planned> plan = new ArrayList<>();
        for (JsonNode r : m.path("runs")) {
            int vi = r.path("variant").asInt(-1);
            if (vi < 0 || vi >= combos.size() || !r.path("dir").isTextual() || !r.path("config").isTextual())
                throw new NanolabException("--collect: " + file + " has a run without a valid variant, dir or config: " + r);
            Map<String, String> combo = combos.get(vi);
            plan.add(new Planned(label(combo), combo, r.path("seed").asLong(), Path.of(r.get("dir").asText()), Path.of(r.get("config").asText())));
        }
        if (plan.isEmpty()) throw new NanolabException("--collect: " + file + " lists no runs");
        List<String> nanolab = new ArrayList<>();
        m.path("nanolab").forEach(n -> nanolab.add(n.asText()));
        SweepSpec spec = new SweepSpec(folder, nanolab.isEmpty() ? nanolabCommand() : nanolab, plan.stream().map(Planned::spec).toList(),
                m.path("max_running").asInt(0), m.path("cpus_per_run").asInt(0));
        SweepExecutor executor = SweepExecutors.create(registry, m.get("executor"));
        List<RunStatus> states;
        try {
            states = executor.attach(spec, out).status();
        } catch (IOException e) {
            throw new NanolabException("--collect " + folder + ": " + e.getMessage(), e);
        }
        List<RunStatus> unfinished = states.stream().filter(s -> !s.state().finished()).toList();
        out.printf("collect: %d runs in %s: %d done, %d failed, %d not finished%n", plan.size(), folder,
                states.stream().filter(s -> s.state() == RunState.DONE).count(), states.stream().filter(s -> s.state() == RunState.FAILED).count(),
                unfinished.size());
        List<Recipe> recipes = combos.stream().map(c -> new Recipe(label(c), c, null)).toList();
        ExperimentResult r = summarize(folder, m.path("threshold").asDouble(0.05), recipes, plan, states);
        return new Collected(r, m.path("experiment").isTextual() ? m.get("experiment").asText() : null, unfinished);
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
