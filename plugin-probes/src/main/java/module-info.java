/** The built-in probes and the softmax-vs-softmax1 experiment. */
module dev.nanolab.probes {
    requires dev.nanolab.api;

    exports dev.nanolab.probes;
    exports dev.nanolab.probes.experiments;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.probes.ProbesPlugin;
}
