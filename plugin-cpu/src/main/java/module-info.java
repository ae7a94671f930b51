/** The CPU compute backend: the default, needing nothing outside the JDK. */
module dev.nanolab.cpu {
    requires dev.nanolab.api;
    requires jdk.incubator.vector;

    exports dev.nanolab.cpu.parallel to dev.nanolab.benchmarks;
    exports dev.nanolab.cpu.gemm to dev.nanolab.benchmarks;
}
