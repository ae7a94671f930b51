package dev.nanolab.launcher.commands;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tokenizer.Tokenizer;
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
     * The tokenizer a benchmarked model is built with (an input embedding such as mot reads what tokens spell): the
     * preset's own when it has a fixed vocabulary; for one that learns its vocabulary, no data is prepared, so a
     * stand-in of {@code trainable} ids that spell four bytes each (timing depends on the shapes, not on the bytes).
     */
    static Tokenizer tokenizer(RunConfig c, ComponentRegistry registry, int trainable) {
        TokenizerFactory tf = c.tokenizer().create(registry);
        return tf.trainable() ? new StandInTokenizer(trainable) : tf.train(TextCorpus.of("none"));
    }

    /** Ids spelled as four printable ASCII bytes each; for timing only. */
    record StandInTokenizer(int vocabSize) implements Tokenizer {
        @Override
        public String name() {
            return "bench-stand-in";
        }

        @Override
        public int[] encode(String text) {
            throw new UnsupportedOperationException("the benchmark's stand-in tokenizer only spells ids");
        }

        @Override
        public String decode(int[] tokens, int from, int to) {
            StringBuilder sb = new StringBuilder();
            for (int i = from; i < to; i++)
                for (int j = 0; j < 4; j++) sb.append((char) ('!' + (tokens[i] * 31 + j * 7) % 90));
            return sb.toString();
        }

        @Override
        public byte[] state() {
            return ("{\"vocab\":" + vocabSize + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The median of timings (the mean of the middle two for an even count); the array is left as it was. */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
