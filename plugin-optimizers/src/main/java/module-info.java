/** Optimizers and learning-rate schedules. */
module dev.nanolab.optimizers {
    requires dev.nanolab.api;

    exports dev.nanolab.optimizers;
    exports dev.nanolab.optimizers.schedules;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.optimizers.OptimizersPlugin;
}
