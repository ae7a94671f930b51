/**
 * JMH benchmarks. They run on the class path (benchmarks/run); this descriptor keeps the module's dependencies
 * explicit and lets the build check them.
 */
module dev.nanolab.benchmarks {
    requires dev.nanolab.api;
    requires dev.nanolab.cpu;
    requires dev.nanolab.tokenizers;
    requires jdk.incubator.vector;
    requires jmh.core;
    requires jtokkit;
}
