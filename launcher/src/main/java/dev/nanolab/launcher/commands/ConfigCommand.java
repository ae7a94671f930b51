package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.Session;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code nanolab config}: the resolved config, every default filled in. */
@Command(name = "config", description = "Print the resolved config (preset, file and overrides, with every default).")
public final class ConfigCommand implements Callable<Integer> {
    private final Session session;

    @Mixin
    ConfigOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    ConfigCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        RunConfigs rc = RunConfigs.bind(session.plugins().registry(), options.tree());
        spec.commandLine().getOut().print(rc.yaml());
        return 0;
    }
}
