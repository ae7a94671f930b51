package dev.nanolab.benchmarks.tokenizers;

import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.tokenizers.bpe.BpeConfig;
import dev.nanolab.tokenizers.bpe.BpeTokenizerFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Training the {@code bpe} tokenizer (default options: GPT-2 split, min_frequency 2, all cores for counting) on a
 * 10 MiB corpus, from the text to the finished model, for several vocabulary sizes. One invocation trains each size
 * once, interleaved ({@link Interleaved}); each size's time is a secondary metric ({@code train:vocab_4096} ...,
 * nanoseconds, with {@code rounds} trainings each), which benchmarks/tokenizer-medians turns into seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class BpeTrainingBench {
    static final int[] VOCAB_SIZES = {4096, 8192, 16384, 32768};

    @Param({"english", "jdk"})
    public String corpus;

    private Interleaved trainings;

    @Setup(Level.Trial)
    public void setUp() {
        TextCorpus training = BenchCorpora.documents(corpus, BenchCorpora.text(corpus));
        Supplier<?>[] train = new Supplier<?>[VOCAB_SIZES.length];
        for (int k = 0; k < train.length; k++) {
            BpeTokenizerFactory factory = new BpeTokenizerFactory(new BpeConfig().withVocabSize(VOCAB_SIZES[k]));
            train[k] = () -> factory.train(training);
        }
        trainings = new Interleaved(train);
    }

    /** Nanoseconds per vocabulary size, summed over one iteration, and the number of trainings each. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        final long[] nanos = new long[VOCAB_SIZES.length];
        public long rounds;

        @Setup(Level.Iteration)
        public void reset() {
            java.util.Arrays.fill(nanos, 0);
            rounds = 0;
        }

        public long vocab_4096() { return nanos[0]; }
        public long vocab_8192() { return nanos[1]; }
        public long vocab_16384() { return nanos[2]; }
        public long vocab_32768() { return nanos[3]; }
    }

    @Benchmark
    public void train(Times times, Blackhole blackhole) {
        trainings.round(times.nanos, blackhole);
        times.rounds++;
    }
}
