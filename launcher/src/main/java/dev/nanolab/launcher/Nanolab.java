package dev.nanolab.launcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.launcher.commands.ConfigOptions;
import dev.nanolab.launcher.commands.RunConfigs;
import dev.nanolab.launcher.commands.TrainCommand;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.reporting.RunMetrics;
import dev.nanolab.training.checkpoint.CheckpointModel;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.data.PreparedData;
import dev.nanolab.training.sample.Evaluation;
import dev.nanolab.training.sample.Sampler;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * nanolab from code — JShell, a JBang script, a notebook kernel, a test — without the command line: the same plugins,
 * config binding, training, evaluation, sampling and metrics the CLI uses.
 *
 * <pre>{@code
 * var lab = Nanolab.load();                                           // the distribution's plugins
 * var run = lab.train(lab.config("cpu-demo", "train.max_iters=200", "out_dir=runs/js"));
 * run.bestValLoss();                                                  // and run.metrics().series("eval", "val_loss")
 * lab.evaluate(run.dir().resolve("best.safetensors"), "val").perplexity();
 * lab.sample(run.dir().resolve("best.safetensors"), "public static ", 100);
 * }</pre>
 */
public final class Nanolab {
    private final ComponentRegistry registry;
    private PrintStream log = System.out;

    private Nanolab(ComponentRegistry registry) {
        this.registry = registry;
    }

    /**
     * The plugins of the distribution this runs from ({@code -Dnanolab.home}, as {@code bin/nanolab} sets it) plus
     * the given plugin folders; with neither, the plugin modules already on the module path.
     */
    public static Nanolab load(Path... pluginDirs) {
        Session session = Session.fromSystemProperties();
        if (pluginDirs.length > 0) session.pluginPath(Arrays.stream(pluginDirs).map(Path::toString).toList());
        return new Nanolab(session.plugins().registry());
    }

    /** Over components wired elsewhere, e.g. {@code ComponentRegistry.of(new CpuPlugin(), ...)} in a test. */
    public static Nanolab of(ComponentRegistry registry) {
        return new Nanolab(registry);
    }

    /** Where training and preparation write their log lines (System.out by default); {@link #quiet()} drops them. */
    public Nanolab log(PrintStream log) {
        this.log = log;
        return this;
    }

    /** Drops the log lines. */
    public Nanolab quiet() {
        return log(new PrintStream(OutputStream.nullOutputStream()));
    }

    public ComponentRegistry registry() {
        return registry;
    }

    /**
     * A run config: the preset (null for none) with {@code key=value} overrides on top, bound and checked exactly as
     * {@code nanolab train --preset P --set key=value} does (unknown keys and bad values are one-line errors).
     */
    public RunConfig config(String preset, String... overrides) {
        return bind(ConfigOptions.presetTree(preset), overrides).config();
    }

    /** A run config from a YAML file with overrides, as {@code --config FILE --set ...}. */
    public RunConfig config(Path yaml, String... overrides) {
        return bind(ConfigTree.read(yaml), overrides).config();
    }

    /** Trains (into the config's out_dir, which must not be in use by another run) and returns the run. */
    public TrainedRun train(RunConfig config) {
        RunConfigs rc = RunConfigs.bind(registry, ConfigTree.parse(yamlOf(config), "the config"));
        try {
            Trainer.Result r = TrainCommand.train(registry, rc, false, log);
            return new TrainedRun(Path.of(config.outDir()), r.steps(), r.lastTrainLoss(), r.bestValLoss(), r.lastValLoss());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loss, perplexity and bits per character of a checkpoint on its dataset's "train" or "val" split. */
    public Evaluation.Result evaluate(Path checkpoint, String split) {
        if (!split.equals("train") && !split.equals("val")) throw new IllegalArgumentException("split must be train or val, got '" + split + "'");
        try (CheckpointModel m = RunConfigs.openCheckpoint(registry, checkpoint, List.of());
             PreparedData d = TrainingRun.prepare(m.config(), registry, log)) {
            return Evaluation.of(m.model(), m.tokenizer(), d.split(split), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code tokens} new tokens after the prompt, with the checkpoint's sampling settings (temperature, top-k, seed). */
    public String sample(Path checkpoint, String prompt, int tokens) {
        try (CheckpointModel m = RunConfigs.openCheckpoint(registry, checkpoint, List.of())) {
            var d = m.config().sample();
            Sampler sampler = new Sampler(m.model(), new Sampler.Options(d.temperature(), d.topK(), d.topP(), tokens, -1), d.seed());
            List<Integer> out = new ArrayList<>();
            sampler.generate(m.tokenizer().encode(prompt), out::add);
            return prompt + m.tokenizer().decode(out.stream().mapToInt(Integer::intValue).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metrics a run folder holds (metrics.jsonl): train and eval series, probes. */
    public static RunMetrics metrics(Path runDir) {
        return RunMetrics.read(runDir);
    }

    /** A finished training run: its folder and its final figures; {@link #metrics()} reads the rest. */
    public record TrainedRun(Path dir, long steps, double lastTrainLoss, double bestValLoss, double lastValLoss) {
        public RunMetrics metrics() {
            return RunMetrics.read(dir);
        }
    }

    private RunConfigs bind(ObjectNode tree, String... overrides) {
        return RunConfigs.bind(registry, ConfigTree.override(tree, List.of(overrides)));
    }

    private String yamlOf(RunConfig config) {
        return ConfigTree.toYaml(dev.nanolab.launcher.config.ConfigBinder.toTree(config));
    }
}
