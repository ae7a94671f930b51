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

    @Option(names = "--vary", required = true, paramLabel = "KEY=V1,V2,...",
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

    CompareCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        if (!(threshold >= 0 && threshold < 1)) throw new NanolabException("--threshold must be in [0, 1), got " + threshold);
        var registry = session.plugins().registry();
        List<Variation> variations = new ArrayList<>();
        for (String v : vary) variations.add(Comparer.parseVary(v));
        var tree = options.tree();
        List<String> probeNames;
        if (probes != null) probeNames = probes.equals(List.of("none")) ? List.of() : probes;
        else probeNames = Comparer.hasProbes(tree) ? List.of() : Comparer.availableProbes(registry, ExperimentPlan.STANDARD_PROBES);
        if (probes != null && probeNames.isEmpty()) tree.putArray("probes");
        PrintStream log = System.out;
        Comparer c = new Comparer(registry, session.home(), Comparer.globalArgs(spec), log);
        ExperimentResult r = c.run(tree, variations, seeds, probeNames, out, jobs, threshold);
        return finish(r, List.of(), log);
    }

    /** Writes the files, prints the table and the conclusions; exit status 1 when a run failed. */
    static int finish(ExperimentResult r, List<String> conclusions, PrintStream log) throws java.io.IOException {
        Path html = Comparison.write(r, conclusions);
        log.println();
        log.print(Comparison.text(r));
        for (String line : conclusions) log.println(line);
        log.println("wrote " + r.folder().resolve("compare.csv") + ", " + r.folder().resolve("compare-runs.csv") + " and " + html);
        long failed = r.variants().stream().mapToLong(ExperimentResult.Variant::failed).sum();
        long total = r.variants().stream().mapToLong(v -> v.runs().size()).sum();
        if (failed > 0) {
            System.err.println("nanolab: " + failed + " of " + total + " runs failed; see the Runs table of " + html);
            return 1;
        }
        return 0;
    }
}
