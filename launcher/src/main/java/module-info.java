/** The {@code nanolab} command line: plugin layers, Guice wiring, config binding and the commands. */
module dev.nanolab.launcher {
    requires dev.nanolab.api;
    requires dev.nanolab.training;
    requires dev.nanolab.reporting;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports dev.nanolab.launcher;
    exports dev.nanolab.launcher.plugins;
    exports dev.nanolab.launcher.config;

    opens dev.nanolab.launcher to info.picocli;
    opens dev.nanolab.launcher.commands to info.picocli;

    uses dev.nanolab.api.plugin.Plugin;
}
