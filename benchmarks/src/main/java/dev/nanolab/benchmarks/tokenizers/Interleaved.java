package dev.nanolab.benchmarks.tokenizers;

import java.util.function.Supplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Runs several contenders one after the other in a rotating order and adds up each one's wall-clock time.
 *
 * <p>The benchmark machine is shared and its load changes by the minute, so contenders measured in separate JMH
 * trials minutes apart are not comparable. Timing them interleaved within every invocation exposes them to the same
 * load; the rotation keeps any one of them from always following the same neighbour (and its garbage).
 */
final class Interleaved {
    private final Supplier<?>[] contenders;
    private int rotation;

    Interleaved(Supplier<?>[] contenders) {
        this.contenders = contenders;
    }

    int size() {
        return contenders.length;
    }

    /** Runs every contender once, adding each one's nanoseconds to {@code nanos[its index]}. */
    void round(long[] nanos, Blackhole blackhole) {
        int n = contenders.length;
        int first = rotation++ % n;
        for (int i = 0; i < n; i++) {
            int k = (first + i) % n;
            long start = System.nanoTime();
            blackhole.consume(contenders[k].get());
            nanos[k] += System.nanoTime() - start;
        }
    }
}
