package dev.nanolab.launcher.commands;

import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.Session;
import dev.nanolab.training.train.RunLock;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import dev.nanolab.training.train.TrainingStoppedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
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

    @Option(names = "--resume", description = "Continue from out_dir/last.safetensors, exactly where it was saved (same as --set init_from=resume).")
    boolean resume;

    TrainCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        var registry = session.plugins().registry();
        RunConfigs rc = RunConfigs.bind(registry, options.tree());
        PrintStream log = System.out;
        boolean fromLast = resume || rc.config().initFrom().equals(dev.nanolab.training.config.RunConfig.RESUME);
        Trainer.Result r = train(registry, rc, fromLast, log);
        log.printf("done: best val loss %.4f; checkpoints in %s%n", r.bestValLoss(), Path.of(rc.config().outDir()));
        return 0;
    }

    /** Writes out_dir/config.yaml and trains (or resumes) there; shared with {@code demo}. */
    public static Trainer.Result train(ComponentRegistry registry, RunConfigs rc, boolean resume, PrintStream log) throws IOException {
        Path out = Path.of(rc.config().outDir());
        // One writer per run folder, for the whole run: before config.yaml, metrics or checkpoints are touched.
        try (RunLock lock = RunFolders.lock(out)) {
            for (Path p : lock.removedLeftovers()) log.println("removed " + p + ", left by an interrupted run");
            if (resume && !Files.exists(out.resolve(Trainer.LAST)) && !Files.exists(out.resolve(Trainer.BEST)))
                throw new NanolabException("cannot resume: " + out + " has no " + Trainer.LAST + " (nothing was saved there yet)");
            Files.writeString(out.resolve("config.yaml"), rc.yaml());
            try (TrainingRun run = TrainingRun.open(rc.config(), rc.yaml(), registry, log)) {
                return new Trainer(run, out, log).run(resume);
            } catch (TrainingStoppedException e) {
                throw new NanolabException(e.getMessage(), e);
            }
        }
    }
}
