/** The built-in attention variants. */
module dev.nanolab.attention {
    requires dev.nanolab.api;

    exports dev.nanolab.attention;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.attention.AttentionPlugin;
}
