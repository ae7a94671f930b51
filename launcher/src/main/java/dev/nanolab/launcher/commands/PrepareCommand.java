package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.Session;
import dev.nanolab.training.data.PreparedData;
import dev.nanolab.training.train.TrainingRun;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nanolab prepare}: tokenise a config's dataset into train and val token files. */
@Command(name = "prepare", description = "Tokenise the config's dataset into train/val token files under data.dir; a broken prepared folder is rebuilt.")
public final class PrepareCommand implements Callable<Integer> {
    private final Session session;

    @Mixin
    ConfigOptions options;

    PrepareCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        var registry = session.plugins().registry();
        RunConfigs rc = RunConfigs.bind(registry, options.tree());
        try (PreparedData d = TrainingRun.prepare(rc.config(), registry, System.out, true)) {
            System.out.printf("%s: %,d train and %,d val tokens, vocabulary %d (%s)%n", d.dir(), d.train().count(),
                    d.val().count(), d.tokenizer().vocabSize(), d.tokenizer().name());
        }
        return 0;
    }
}
