/** Model architectures. */
module dev.nanolab.models {
    requires dev.nanolab.api;

    exports dev.nanolab.models;
    exports dev.nanolab.models.gpt;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.models.ModelsPlugin;
}
