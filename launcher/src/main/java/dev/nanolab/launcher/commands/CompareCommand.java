package dev.nanolab.launcher.commands;

import dev.nanolab.api.experiment.ExperimentPlan;
import dev.nanolab.api.experiment.ExperimentResult;
import dev.nanolab.api.experiment.Variation;
import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.Session;
import dev.nanolab.reporting.Comparison;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nanolab compare --config base.yaml --vary model.attention=softmax,softmax1 --seeds 2}: trains every variant
 * over every seed (same data, same seeds) and compares them: compare.csv, compare-runs.csv, compare.html.
 */
@Command(name = "compare", header = "Train config variants over seeds and compare them, with paired-by-seed intervals.", description = {
        "Train config variants over seeds (same data, same seeds, child processes in parallel when cores allow) and compare them:",
        "val loss and perplexity (mean ± std), the perplexity change against the first variant with a 95% CI paired by seed,",
        "whether it beats the 'interesting' threshold, and per-layer kurtosis and max |x|. Writes compare.csv, compare-runs.csv",
        "and compare.html into --out."})
public final class CompareCommand implements Callable<Integer> {
    private final Session session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--vary", paramLabel = "KEY=V1,V2,...",
            description = "A config key and the values it takes (repeatable: every combination is a variant; the first is the baseline).")
    List<String> vary = new ArrayList<>();

    @Option(names = "--seeds", defaultValue = "2", description = "Runs per variant, with seeds seed, seed+1, ... (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--out", defaultValue = "runs/compare", paramLabel = "DIR", description = "The compare folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--jobs", defaultValue = "0", description = "Runs at a time; 0 = one per core (default).")
    int jobs;

    @Option(names = "--threshold", defaultValue = "0.05",
            description = "Relative perplexity improvement that makes a variant interesting (default: ${DEFAULT-VALUE} = 5%%).")
    double threshold;

    @Option(names = "--probes", split = ",", paramLabel = "NAME[,NAME...]",
            description = "Probes every run carries (default: the config's own, or if it names none: kurtosis, max-abs, attention-mass, "
                    + "dead-neurons, update-ratio, grad-norm, histograms); 'none' for none.")
    List<String> probes;

    @Mixin
    ExecutorOptions executor;

    @Option(names = "--collect", paramLabel = "DIR",
            description = "Write the report of a sweep submitted earlier into DIR (e.g. with --executor slurm --detach), from the runs that have finished.")
    Path collect;

    CompareCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        if (!(threshold >= 0 && threshold < 1)) throw new NanolabException("--threshold must be in [0, 1), got " + threshold);
        var registry = session.plugins().registry();
        if (collect != null) return collect(registry);
        if (vary.isEmpty()) throw new NanolabException("compare needs --vary KEY=V1,V2,... (or --collect DIR for a sweep submitted earlier)");
        List<Variation> variations = new ArrayList<>();
        for (String v : vary) variations.add(Comparer.parseVary(v));
        var tree = options.tree();
        Comparer.Execution execution = executor.execution(registry, tree, null);
        List<String> probeNames;
        if (probes != null) probeNames = probes.equals(List.of("none")) ? List.of() : probes;
        else probeNames = Comparer.hasProbes(tree) ? List.of() : Comparer.availableProbes(registry, ExperimentPlan.STANDARD_PROBES);
        if (probes != null && probeNames.isEmpty()) tree.putArray("probes");
        PrintStream log = System.out;
        Comparer c = new Comparer(registry, session.home(), Comparer.globalArgs(spec), log);
        ExperimentResult r = c.run(tree, variations, seeds, probeNames, out, jobs, threshold, execution);
        return r == null ? 0 : finish(r, List.of(), log);
    }

    /** --collect DIR: the report of the runs that have finished, with the experiment's conclusions when one planned the sweep. */
    private int collect(dev.nanolab.api.plugin.ComponentRegistry registry) throws Exception {
        if (!vary.isEmpty() || options.preset != null || options.config != null || !options.sets.isEmpty())
            throw new NanolabException("--collect reads the sweep's plan from " + collect.resolve(Comparer.MANIFEST) + "; it takes no --vary, --preset, --config or --set");
        if (executor.executor != null || executor.detach || executor.retry > 0)
            throw new NanolabException("--collect reads the executor from " + collect.resolve(Comparer.MANIFEST) + " and only looks: it takes no --executor, --detach or --retry");
        Comparer.manifest(collect);
        PrintStream log = System.out;
        Comparer.Collected c = new Comparer(registry, session.home(), Comparer.globalArgs(spec), log).collect(collect);
        List<String> conclusions = List.of();
        if (c.experiment() != null) {
            try {
                conclusions = registry.createDefault(dev.nanolab.api.plugin.ComponentKind.EXPERIMENT, c.experiment()).report(c.result());
            } catch (RuntimeException e) {
                conclusions = List.of("the experiment's report failed: " + e.getMessage());
            }
        }
        if (!c.unfinished().isEmpty()) {
            System.err.println("nanolab: " + c.unfinished().size() + " of " + c.result().variants().stream().mapToLong(v -> v.runs().size()).sum()
                    + " runs have not finished yet (" + c.unfinished().stream().map(s -> s.run().name() + ": " + s.state().lower())
                    .collect(java.util.stream.Collectors.joining(", ")) + "); collect again later");
        }
        return finish(c.result(), conclusions, log, c.unfinished().size());
    }

    /** Writes the files, prints the table and the conclusions; exit status 1 when a run failed. */
    static int finish(ExperimentResult r, List<String> conclusions, PrintStream log) throws java.io.IOException {
        return finish(r, conclusions, log, 0);
    }

    /** As above, where {@code unfinished} of the runs counted as failed have not finished yet (--collect): exit status 1 too. */
    static int finish(ExperimentResult r, List<String> conclusions, PrintStream log, int unfinished) throws java.io.IOException {
        Path html = Comparison.write(r, conclusions);
        log.println();
        log.print(Comparison.text(r));
        for (String line : conclusions) log.println(line);
        log.println("wrote " + r.folder().resolve("compare.csv") + ", " + r.folder().resolve("compare-runs.csv") + " and " + html);
        long failed = r.variants().stream().mapToLong(ExperimentResult.Variant::failed).sum() - unfinished;
        long total = r.variants().stream().mapToLong(v -> v.runs().size()).sum();
        if (failed > 0) {
            System.err.println("nanolab: " + failed + " of " + total + " runs failed; see the Runs table of " + html);
            return 1;
        }
        return unfinished > 0 ? 1 : 0;
    }
}
