package dev.nanolab.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Help on every command: -h/--help, `nanolab help COMMAND`, full summaries, described options, shell completion. */
class HelpTest {
    /** Every command path below the root, e.g. [train], [bench, kernels]. */
    private static List<List<String>> paths(CommandLine cl, List<String> prefix) {
        List<List<String>> out = new ArrayList<>();
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().aliases().length > 0 && !name.equals(sub.getCommandName())) return;
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            out.add(path);
            out.addAll(paths(sub, path));
        });
        return out;
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExitsZero() {
        List<List<String>> all = paths(NanolabCommand.commandLine(new Session(null)), List.of());
        assertThat(all).extracting(p -> String.join(" ", p))
                .contains("train", "sample", "eval", "compare", "run", "report", "bench train", "bench kernels", "help");
        for (List<String> path : all) {
            for (String flag : new String[] {"--help", "-h"}) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Cli.Result r = Cli.run(args.toArray(String[]::new));
                assertThat(r.code()).as("%s %s: %s", path, flag, r.err()).isZero();
                assertThat(r.out()).as("%s %s", path, flag).contains("Usage: nanolab " + String.join(" ", path));
                assertThat(r.err()).as("%s %s: no picocli warnings", path, flag).isEmpty();
            }
        }
    }

    @Test
    void helpCommandPrintsACommandsUsage() {
        Cli.Result r = Cli.run("help", "train");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: nanolab train").contains("--resume");
    }

    @Test
    void everyOptionIsDescribedAndSummariesEndWithASentence() {
        CommandLine root = NanolabCommand.commandLine(new Session(null));
        List<CommandLine> commands = new ArrayList<>(List.of(root));
        for (int i = 0; i < commands.size(); i++) commands.addAll(commands.get(i).getSubcommands().values());
        for (CommandLine cl : commands) {
            for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options())
                assertThat(String.join(" ", o.description())).as("%s %s", cl.getCommandName(), o.longestName()).isNotBlank();
            CommandLine.Model.UsageMessageSpec u = cl.getCommandSpec().usageMessage();
            String[] summary = u.header().length > 0 ? u.header() : u.description();
            assertThat(summary).as(cl.getCommandName() + " has a summary").isNotEmpty();
            assertThat(summary[0].strip()).as(cl.getCommandName() + " summary is a whole sentence").matches("(?s).*[.)]$");
        }
    }

    @Test
    void completionScriptIsGenerated() {
        Cli.Result r = Cli.run("generate-completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete").contains("nanolab");
    }
}
