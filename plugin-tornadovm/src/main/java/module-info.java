/**
 * The TornadoVM compute backend ({@code tornadovm}). TornadoVM is an optional dependency: the module resolves without
 * it, and its classes are touched only when a backend is opened or devices are listed, which needs the SDK's JVM flags
 * (see docs/tornadovm.md).
 */
module dev.nanolab.tornadovm {
    requires dev.nanolab.api;
    requires static tornado.api;
    requires java.logging;

    exports dev.nanolab.tornadovm;
    // TornadoVM's runtime reflects on the kernels and reads their class files.
    exports dev.nanolab.tornadovm.kernels;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.tornadovm.TornadoPlugin;
}
