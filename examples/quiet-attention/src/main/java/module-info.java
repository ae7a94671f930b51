/** Example plugin: a user-written attention variant, built against framework-api alone. */
module dev.nanolab.examples.quiet {
    requires dev.nanolab.api;

    exports dev.nanolab.examples.quiet;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.examples.quiet.QuietAttentionPlugin;
}
