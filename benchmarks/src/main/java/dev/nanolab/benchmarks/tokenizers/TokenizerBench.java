package dev.nanolab.benchmarks.tokenizers;

import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.tokenizers.TokenizersPlugin;
import dev.nanolab.tokenizers.bpe.BpeConfig;
import dev.nanolab.tokenizers.bpe.BpeConfig.PreTokenizer;
import dev.nanolab.tokenizers.bpe.BpeTokenizerFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * Encoding and decoding a whole 10 MiB corpus, one call each, for every tokenizer side by side. One invocation runs
 * each tokenizer {@value #ROUNDS} times, interleaved ({@link Interleaved}); the time of each tokenizer is a
 * secondary metric ({@code encode:bpe_50k} ...: nanoseconds summed over the iteration, with {@code rounds} the
 * number of calls each), and benchmarks/tokenizer-medians turns them into ms per call and MB/s. The primary score,
 * the time of a whole invocation, means nothing on its own.
 *
 * <p>{@code bpe_50k} is the {@code bpe} component trained on the same corpus for 50257 ids (GPT-2's size) with
 * {@code min_frequency} 1, so that it gets as close to that size as the corpus allows; {@code jtokkit_gpt2} is
 * jtokkit called directly, to show what the {@code tiktoken:gpt2} wrapper adds. Single-threaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class TokenizerBench {
    static final int ROUNDS = 3;
    /** The contenders, in the order of the {@link Times} counters. */
    static final List<String> TOKENIZERS = List.of("byte", "char", "bpe-50k", "tiktoken:gpt2", "jtokkit-gpt2",
            "tiktoken:p50k_base", "tiktoken:cl100k_base", "tiktoken:o200k_base");

    @Param({"english", "jdk"})
    public String corpus;

    private Interleaved encoders;
    private Interleaved decoders;

    @Setup(Level.Trial)
    public void setUp() {
        String text = BenchCorpora.text(corpus);
        TextCorpus training = BenchCorpora.documents(corpus, text);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        Supplier<?>[] encode = new Supplier<?>[TOKENIZERS.size()];
        Supplier<?>[] decode = new Supplier<?>[TOKENIZERS.size()];
        for (int k = 0; k < TOKENIZERS.size(); k++) {
            String name = TOKENIZERS.get(k);
            if (name.equals("jtokkit-gpt2")) {
                Encoding jtokkit = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
                IntArrayList ids = jtokkit.encodeOrdinary(text);
                encode[k] = () -> jtokkit.encodeOrdinary(text);
                decode[k] = () -> jtokkit.decode(ids);
                continue;
            }
            TokenizerFactory factory = name.equals("bpe-50k")
                    ? new BpeTokenizerFactory(new BpeConfig(50257, 0.9999, 1, 0, List.of("<|endoftext|>"), PreTokenizer.GPT2, 0))
                    : component(name);
            Tokenizer tokenizer = factory.train(training);
            int[] ids = tokenizer.encode(text);
            if (!tokenizer.decode(ids).equals(text)) throw new IllegalStateException(name + " does not round-trip " + corpus);
            System.out.printf("%n%s on %s: %d ids, %d tokens, %.2f bytes per token", name, corpus,
                    tokenizer.vocabSize(), ids.length, bytes / (double) ids.length);
            encode[k] = () -> tokenizer.encode(text);
            decode[k] = () -> tokenizer.decode(ids);
        }
        encoders = new Interleaved(encode);
        decoders = new Interleaved(decode);
    }

    static TokenizerFactory component(String name) {
        return ComponentRegistry.of(new TokenizersPlugin()).createDefault(ComponentKind.TOKENIZER, name);
    }

    /** Nanoseconds per tokenizer, summed over one iteration, and the number of calls each. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        final long[] nanos = new long[TOKENIZERS.size()];
        public long rounds;

        @Setup(Level.Iteration)
        public void reset() {
            java.util.Arrays.fill(nanos, 0);
            rounds = 0;
        }

        public long byte_() { return nanos[0]; }
        public long char_() { return nanos[1]; }
        public long bpe_50k() { return nanos[2]; }
        public long tiktoken_gpt2() { return nanos[3]; }
        public long jtokkit_gpt2() { return nanos[4]; }
        public long tiktoken_p50k_base() { return nanos[5]; }
        public long tiktoken_cl100k_base() { return nanos[6]; }
        public long tiktoken_o200k_base() { return nanos[7]; }
    }

    @Benchmark
    public void encode(Times times, Blackhole blackhole) {
        for (int r = 0; r < ROUNDS; r++, times.rounds++) encoders.round(times.nanos, blackhole);
    }

    @Benchmark
    public void decode(Times times, Blackhole blackhole) {
        for (int r = 0; r < ROUNDS; r++, times.rounds++) decoders.round(times.nanos, blackhole);
    }
}
