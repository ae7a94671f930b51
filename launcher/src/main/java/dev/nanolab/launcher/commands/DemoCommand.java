package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.Session;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.checkpoint.CheckpointModel;
import dev.nanolab.training.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nanolab demo}, the main job: prepare the JDK's own source as characters, train nanoGPT's CPU-demo GPT on it
 * for a few minutes, print the validation loss and samples.
 */
@Command(name = "demo", description = "The main job: prepare the JDK source (lib/src.zip), train a char-level GPT for a few minutes, print val loss and samples.")
public final class DemoCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--max-iters", description = "Training steps (default: the demo preset's).")
    Long maxIters;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override the demo preset, e.g. --set model.attention=softmax1.")
    List<String> sets = new ArrayList<>();

    DemoCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        var registry = session.plugins().registry();
        List<String> overrides = new ArrayList<>(sets);
        if (maxIters != null) {
            overrides.add("train.max_iters=" + maxIters);
            overrides.add("schedule.lr_decay_iters=" + Math.max(maxIters, 101));
        }
        RunConfigs rc = RunConfigs.bind(registry, ConfigTree.override(ConfigOptions.presetTree("demo"), overrides));
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        Trainer.Result result = TrainCommand.train(registry, rc, false, out);
        out.printf("%nval loss %.4f (best %.4f) after %d steps, %.1f minutes%n", result.lastValLoss(), result.bestValLoss(),
                result.steps(), (System.nanoTime() - t0) / 6e10);
        Path best = Path.of(rc.config().outDir()).resolve(Trainer.BEST);
        Checkpoint ck = Checkpoint.read(best);
        out.println("samples from " + best + ":");
        out.println();
        try (CheckpointModel m = CheckpointModel.open(best, ck, rc.config(), registry)) {
            SampleCommand.printSamples(m, null, null, null, null, null, null, null, null, false, out);
        }
        return 0;
    }
}
