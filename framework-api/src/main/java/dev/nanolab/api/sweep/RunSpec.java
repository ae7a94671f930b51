package dev.nanolab.api.sweep;

import java.nio.file.Path;

/**
 * One run of a sweep: a name for people ({@code "softmax1, seed 1338"}), its resolved config file (the whole config,
 * out_dir and seed included, as {@code nanolab train --config} reads it) and its run folder (the config's out_dir,
 * where the executor also writes {@code train.log}).
 */
public record RunSpec(String name, Path config, Path dir) {
    public RunSpec {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a run needs a name");
        if (config == null) throw new IllegalArgumentException("run " + name + ": no config file");
        if (dir == null) throw new IllegalArgumentException("run " + name + ": no run folder");
    }

    /** The run's output, where every executor sends the train command's stdout and stderr. */
    public Path log() {
        return dir.resolve("train.log");
    }
}
