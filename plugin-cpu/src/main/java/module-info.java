/** The CPU compute backend: the default, needing nothing outside the JDK. */
module dev.nanolab.cpu {
    requires dev.nanolab.api;
    requires jdk.incubator.vector;

    exports dev.nanolab.cpu;
    exports dev.nanolab.cpu.parallel to dev.nanolab.benchmarks;
    exports dev.nanolab.cpu.gemm to dev.nanolab.benchmarks;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.cpu.CpuPlugin;
}
