package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.NanolabException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Commands whose names are reserved and whose work arrives with later parts of nanolab. Each says so and fails,
 * rather than pretending to work.
 */
public final class PendingCommands {
    private PendingCommands() {}

    abstract static class Pending implements Callable<Integer> {
        private final String what;

        Pending(String what) {
            this.what = what;
        }

        @Override
        public Integer call() {
            throw new NanolabException("'" + what + "' is not available in this build yet");
        }
    }

    @Command(name = "compare", description = "Run config variants over seeds and compare them.")
    public static final class Compare extends Pending {
        Compare() {
            super("compare");
        }
    }

    @Command(name = "run", description = "Run an experiment plugin by name.")
    public static final class Run extends Pending {
        Run() {
            super("run");
        }
    }

    @Command(name = "report", description = "Write an HTML report of a run.")
    public static final class Report extends Pending {
        Report() {
            super("report");
        }
    }
}
