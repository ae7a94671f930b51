package dev.nanolab.launcher;

import dev.nanolab.api.NanolabApi;
import dev.nanolab.launcher.commands.BenchCommand;
import dev.nanolab.launcher.commands.CompareCommand;
import dev.nanolab.launcher.commands.ConfigCommand;
import dev.nanolab.launcher.commands.DemoCommand;
import dev.nanolab.launcher.commands.EvalCommand;
import dev.nanolab.launcher.commands.ExportCommand;
import dev.nanolab.launcher.commands.PrepareCommand;
import dev.nanolab.launcher.commands.ReportCommand;
import dev.nanolab.launcher.commands.RunCommand;
import dev.nanolab.launcher.commands.SpeedrunCommand;
import dev.nanolab.launcher.commands.SampleCommand;
import dev.nanolab.launcher.commands.TrainCommand;
import dev.nanolab.launcher.commands.PluginsCommand;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root {@code nanolab} command: global options and the subcommands. */
@Command(name = "nanolab", mixinStandardHelpOptions = true, versionProvider = NanolabCommand.Version.class,
        description = "Small-language-model research on the JVM: train, sample, compare and probe models built from plugins.",
        subcommands = {PluginsCommand.class, ConfigCommand.class, PrepareCommand.class, TrainCommand.class,
                SampleCommand.class, EvalCommand.class, ExportCommand.class, CompareCommand.class, RunCommand.class, SpeedrunCommand.class,
                BenchCommand.class, ReportCommand.class, DemoCommand.class})
public final class NanolabCommand implements Runnable {
    private final Session session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    NanolabCommand(Session session) {
        this.session = session;
    }

    @Option(names = "--plugin-path", scope = ScopeType.INHERIT, paramLabel = "DIR[:DIR...]",
            description = "Extra folders of plugin jars, besides the distribution's plugins/.")
    void pluginPath(List<String> dirs) {
        session.pluginPath(dirs);
    }

    @Option(names = "--modules", scope = ScopeType.INHERIT, split = ",", paramLabel = "MODULE[,MODULE...]",
            description = "The plugin modules to load (default: every module found).")
    void modules(List<String> names) {
        session.modules(names);
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    void verbose(boolean v) {
        session.verbose(v);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line whose commands get the session through their constructors. */
    static CommandLine commandLine(Session session) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                for (var c : cls.getDeclaredConstructors()) {
                    if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Session.class) {
                        c.setAccessible(true);
                        return cls.cast(c.newInstance(session));
                    }
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        CommandLine cl = new CommandLine(new NanolabCommand(session), factory).setCaseInsensitiveEnumValuesAllowed(true);
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().usageMessage().hidden(false)
                .description("Print a bash/zsh completion script for nanolab: source <(nanolab generate-completion)");
        cl.addSubcommand("generate-completion", completion);
        withHelp(cl);
        return cl;
    }

    /** -h/--help on every command and subcommand, not only the root. */
    private static void withHelp(CommandLine cl) {
        if (cl.getCommandSpec().optionsMap().get("--help") == null && !(cl.getCommand() instanceof CommandLine.HelpCommand))
            cl.getCommandSpec().mixinStandardHelpOptions(true);
        for (CommandLine sub : cl.getSubcommands().values()) withHelp(sub);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nanolab " + NanolabApi.version() + " (framework-api " + NanolabApi.version() + ", Java "
                    + Runtime.version() + ")"};
        }
    }
}
