package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.experiment.Experiment;
import dev.nanolab.api.experiment.ExperimentPlan;
import dev.nanolab.api.experiment.ExperimentResult;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.Session;
import dev.nanolab.launcher.config.ConfigTree;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nanolab run EXPERIMENT}: runs an experiment component's plan as {@code compare} does, then prints and
 * records its conclusions.
 */
@Command(name = "run", header = "Run an experiment plugin by name: its variants over its seeds, then its conclusions.", description = {
        "Run an experiment plugin by name (nanolab plugins lists them under 'experiments'): its variants over its seeds, as",
        "compare does, then its own conclusions. Writes compare.csv, compare-runs.csv and compare.html into --out."})
public final class RunCommand implements Callable<Integer> {
    private final Session session;

    /** The plan's probes: the standard set keeps what is loaded; probes an experiment names itself must exist. */
    static List<String> probes(dev.nanolab.api.plugin.ComponentRegistry registry, ExperimentPlan plan) {
        return plan.probes().equals(ExperimentPlan.STANDARD_PROBES) ? Comparer.availableProbes(registry, plan.probes()) : plan.probes();
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "The experiment's name, e.g. softmax-vs-softmax1.")
    String name;

    @Option(names = "--seeds", description = "Runs per variant (default: the experiment's).")
    Integer seeds;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override the experiment's base config, e.g. --set train.max_iters=100 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "The compare folder (default: runs/EXPERIMENT).")
    Path out;

    @Option(names = "--jobs", defaultValue = "0", description = "Runs at a time; 0 = one per core (default).")
    int jobs;

    @Option(names = "--threshold", description = "Relative perplexity improvement that makes a variant interesting (default: the experiment's).")
    Double threshold;

    @CommandLine.Mixin
    ExecutorOptions executor;

    RunCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        var registry = session.plugins().registry();
        Experiment experiment = registry.createDefault(ComponentKind.EXPERIMENT, name);
        ExperimentPlan plan = experiment.plan();
        ObjectNode tree = ConfigOptions.presetTree(plan.preset());
        if (plan.yaml() != null) ConfigOptions.merge(tree, ConfigTree.parse(plan.yaml(), "experiment " + name + "'s YAML"));
        ConfigTree.override(tree, plan.overrides());
        ConfigTree.override(tree, sets);
        Comparer.Execution execution = executor.execution(registry, tree, name);
        double t = threshold != null ? threshold : plan.threshold();
        if (!(t >= 0 && t < 1)) throw new NanolabException("--threshold must be in [0, 1), got " + t);
        PrintStream log = System.out;
        log.printf("experiment %s%n", name);
        Comparer c = new Comparer(registry, session.home(), Comparer.globalArgs(spec), log);
        ExperimentResult r = c.run(tree, plan.variations(), seeds != null ? seeds : plan.seeds(),
                probes(registry, plan), out != null ? out : Path.of("runs", name), jobs, t, execution);
        if (r == null) return 0;
        List<String> conclusions;
        try {
            conclusions = experiment.report(r);
        } catch (RuntimeException e) {
            conclusions = List.of("the experiment's report failed: " + e);
        }
        return CompareCommand.finish(r, conclusions, log);
    }
}
