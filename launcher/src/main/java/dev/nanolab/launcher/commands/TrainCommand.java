package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.Session;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import dev.nanolab.training.train.TrainingStoppedException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nanolab train}: train a model from a config, or resume one. */
@Command(name = "train", description = "Train a model from a config (preset, file, --set overrides); --resume continues the last checkpoint.")
public final class TrainCommand implements Callable<Integer> {
    private final Session session;

    @Mixin
    ConfigOptions options;

    @Option(names = "--resume", description = "Continue from out_dir/last.safetensors, exactly where it was saved.")
    boolean resume;

    TrainCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        var registry = session.plugins().registry();
        RunConfigs rc = RunConfigs.bind(registry, options.tree());
        PrintStream log = System.out;
        Path out = Path.of(rc.config().outDir());
        java.nio.file.Files.createDirectories(out);
        java.nio.file.Files.writeString(out.resolve("config.yaml"), rc.yaml());
        try (TrainingRun run = TrainingRun.open(rc.config(), rc.yaml(), registry, log)) {
            Trainer.Result r = new Trainer(run, out, log).run(resume);
            log.printf("done: best val loss %.4f; checkpoints in %s%n", r.bestValLoss(), out);
            return 0;
        } catch (TrainingStoppedException e) {
            throw new NanolabException(e.getMessage(), e);
        }
    }
}
