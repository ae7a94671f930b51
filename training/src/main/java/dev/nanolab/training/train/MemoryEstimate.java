package dev.nanolab.training.train;

import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.training.config.RunConfig;
import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Optional;

/**
 * How much heap a training run needs, told before it allocates: the weights, gradients and two optimizer moments of
 * every parameter (16 bytes each, certain), plus the activations of one micro-batch (an estimate, for architectures
 * whose config names {@code n_layer} and {@code n_embd}). A run whose parameters alone do not fit is refused at once
 * with the figure and the flag that raises the heap; one whose activations may not fit gets a warning line. The last
 * estimate is kept so that an {@link OutOfMemoryError} later can be reported with it.
 *
 * @param parameters      the number of parameters (counted from the built model, or from the config before it)
 * @param staticBytes     weights + gradients + optimizer state
 * @param activationBytes activations of one micro-batch (0 when unknown)
 * @param detail          how the figures were made, for messages
 */
public record MemoryEstimate(long parameters, long staticBytes, long activationBytes, String detail) {
    /** The environment variable bin/nanolab passes to the JVM. */
    public static final String FLAG = "NANOLAB_JAVA_OPTS";
    private static volatile MemoryEstimate last;

    /** The estimate of the run started last in this process, if any. */
    public static Optional<MemoryEstimate> last() {
        return Optional.ofNullable(last);
    }

    public long total() {
        return staticBytes + activationBytes;
    }

    /** The estimate from a config alone, for GPT-like architectures (n_layer, n_embd, block_size); empty otherwise. */
    static Optional<MemoryEstimate> fromConfig(RunConfig c, int vocab) {
        Record opts = c.model().options();
        long layers = component(opts, "nLayer"), width = component(opts, "nEmbd"), block = component(opts, "blockSize");
        if (layers <= 0 || width <= 0 || block <= 0) return Optional.empty();
        long params = 12 * layers * width * width + (vocab + block) * width;
        return Optional.of(of(params, c, vocab, layers, width, block, "estimated from the config"));
    }

    /** The estimate of a built model: its exact parameter count, activations as {@link #fromConfig} estimates them. */
    static MemoryEstimate fromModel(LanguageModel model, RunConfig c) {
        long params = 0;
        for (Tensor t : model.namedParameters().values()) params += t.size();
        Record opts = c.model().options();
        return of(params, c, model.vocabSize(), component(opts, "nLayer"), component(opts, "nEmbd"), model.blockSize(), "counted");
    }

    private static MemoryEstimate of(long params, RunConfig c, int vocab, long layers, long width, long block, String how) {
        long tokens = (long) c.train().batchSize() * block;
        // Kept for the backward pass, per token: about 16 floats per layer and width (norms, q/k/v, attention output,
        // projections, the 4x MLP and its activation), and the logits with their gradient.
        long act = layers > 0 && width > 0 ? 4 * tokens * (16 * layers * width + 2L * vocab) : 0;
        MemoryEstimate e = new MemoryEstimate(params, 16 * params, act, how);
        last = e;
        return e;
    }

    private static long component(Record r, String name) {
        if (r == null) return -1;
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
            if (!rc.getName().equals(name) || (rc.getType() != int.class && rc.getType() != long.class)) continue;
            try {
                return ((Number) rc.getAccessor().invoke(r)).longValue();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }

    /** "about 4.9 GiB (305.3M parameters: 4.5 GiB for weights, gradients and optimizer moments; activations ~0.4 GiB)". */
    public String describe() {
        return String.format(Locale.ROOT, "about %s (%.1fM parameters, %s: %s for weights, gradients and optimizer moments%s)",
                gib(total()), parameters / 1e6, detail, gib(staticBytes),
                activationBytes > 0 ? "; activations of one micro-batch ~" + gib(activationBytes) : "");
    }

    /** The -Xmx that holds {@code bytes} with a margin, e.g. "-Xmx6g". */
    public static String xmxFor(long bytes) {
        long g = Math.max(1, (long) Math.ceil(bytes * 1.25 / (1L << 30)));
        return "-Xmx" + g + "g";
    }

    public static String gib(long bytes) {
        return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }

    /**
     * Refuses a run whose parameters alone do not fit in {@code heap}; warns on {@code log} when the activations may
     * not.
     *
     * @throws TrainingStoppedException one line: the estimate, the heap, the flag to raise it
     */
    void check(long heap, java.io.PrintStream log) {
        if (staticBytes > heap)
            throw new TrainingStoppedException("this run does not fit in memory: it needs " + describe() + ", but the Java heap is "
                    + gib(heap) + "; raise it with " + FLAG + "=" + xmxFor(total()) + " or make the model smaller", null);
        if (total() > heap)
            log.println("warning: this run may not fit in memory: it needs " + describe() + ", and the Java heap is " + gib(heap)
                    + "; if it runs out, raise it with " + FLAG + "=" + xmxFor(total()) + " or lower train.batch_size");
    }

    /** The one-line message of an {@link OutOfMemoryError}: the heap, the last estimate if any, the flag. */
    public static String outOfMemory(long heap) {
        Optional<MemoryEstimate> e = last();
        return "out of memory: the Java heap is " + gib(heap) + e.map(x -> " and this run needs " + x.describe()).orElse("")
                + "; raise it with " + FLAG + "=" + xmxFor(Math.max(heap * 2, e.map(MemoryEstimate::total).orElse(0L)))
                + " or lower train.batch_size or the model size";
    }
}
