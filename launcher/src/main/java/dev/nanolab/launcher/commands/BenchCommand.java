package dev.nanolab.launcher.commands;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.training.config.RunConfig;
import picocli.CommandLine.Command;

/** {@code nanolab bench}: speed measurements users can run themselves. */
@Command(name = "bench", description = "Benchmarks: kernels (GEMM, attention, norms) and whole training steps.",
        subcommands = {BenchTrainCommand.class, BenchKernelsCommand.class, BenchSampleCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The vocabulary a benchmarked model gets: {@code trainable} for a tokenizer that learns its vocabulary (no data is
     * prepared), the fixed one of any other.
     */
    static int vocabSize(RunConfig c, ComponentRegistry registry, int trainable) {
        TokenizerFactory tf = c.tokenizer().create(registry);
        return tf.trainable() ? trainable : tf.train(TextCorpus.of("none")).vocabSize();
    }

    /** The median of timings (the mean of the middle two for an even count); the array is left as it was. */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
