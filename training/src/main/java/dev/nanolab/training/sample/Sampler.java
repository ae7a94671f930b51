package dev.nanolab.training.sample;

import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Autoregressive sampling with temperature, top-k and top-p (nucleus) filtering, from a seeded generator, through
 * the model's {@link Decoder} (a KV cache for a GPT, so n tokens cost n steps). The context is cropped to
 * block_size as nanoGPT's {@code generate} does.
 */
public final class Sampler {
    /**
     * @param temperature  divides the logits
     * @param topK         keep the k most likely tokens; 0 keeps all
     * @param topP         keep the smallest set whose probability reaches p; 1 keeps all
     * @param maxNewTokens tokens to generate
     * @param stopToken    stop after generating this id; -1 never
     */
    public record Options(double temperature, int topK, double topP, int maxNewTokens, int stopToken) {
        public Options {
            if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
            if (topK < 0) throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
            if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
            if (maxNewTokens < 1) throw new IllegalArgumentException("max_new_tokens must be >= 1, got " + maxNewTokens);
        }
    }

    private final LanguageModel model;
    private final Options options;
    private final Rng rng;
    private boolean useCache = true;

    public Sampler(LanguageModel model, Options options, long seed) {
        this.model = model;
        this.options = options;
        this.rng = new Rng(seed);
    }

    /** Recomputes the whole (cropped) context for every token instead of decoding incrementally: the reference. */
    public Sampler withoutCache() {
        this.useCache = false;
        return this;
    }

    /** Generates after {@code prompt}; {@code onToken} sees each new id as it is drawn. Returns the new ids. */
    public int[] generate(int[] prompt, IntConsumer onToken) {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt must hold at least one token");
        model.eval();
        List<Integer> out = new ArrayList<>();
        try (GradMode.Scope ng = GradMode.disabled();
             Decoder decoder = useCache ? model.decoder(1) : model.recomputingDecoder(1)) {
            var be = model.namedParameters().values().iterator().next().backend();
            float[] logits;
            try (TensorScope s = TensorScope.open()) {
                logits = decoder.feed(Tensor.ofInts(be, prompt, 1, prompt.length)).toFloatArray();
            }
            for (int i = 0; i < options.maxNewTokens(); i++) {
                int next = draw(logits);
                out.add(next);
                if (onToken != null) onToken.accept(next);
                if (next == options.stopToken()) break;
                if (i + 1 == options.maxNewTokens()) break;
                try (TensorScope s = TensorScope.open()) {
                    logits = decoder.feed(Tensor.ofInts(be, new int[] {next}, 1, 1)).toFloatArray();
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One token from logits: temperature, top-k, top-p, then a draw from the renormalised distribution. */
    int draw(float[] logits) {
        int v = logits.length;
        double[] z = new double[v];
        for (int i = 0; i < v; i++) z[i] = logits[i] / options.temperature();
        if (options.topK() > 0 && options.topK() < v) {
            double[] sorted = z.clone();
            Arrays.sort(sorted);
            double kth = sorted[v - options.topK()];
            for (int i = 0; i < v; i++) if (z[i] < kth) z[i] = Double.NEGATIVE_INFINITY;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double d : z) max = Math.max(max, d);
        double sum = 0;
        double[] p = new double[v];
        for (int i = 0; i < v; i++) sum += (p[i] = Math.exp(z[i] - max));
        for (int i = 0; i < v; i++) p[i] /= sum;
        if (options.topP() < 1) {
            Integer[] order = new Integer[v];
            for (int i = 0; i < v; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]) != 0 ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
            double cum = 0, kept = 0;
            boolean[] keep = new boolean[v];
            for (int idx : order) {
                // Keep tokens until the mass reaches p; the token that crosses it is kept too.
                keep[idx] = true;
                kept += p[idx];
                cum += p[idx];
                if (cum >= options.topP()) break;
            }
            for (int i = 0; i < v; i++) p[i] = keep[i] ? p[i] / kept : 0;
        }
        double r = rng.nextDouble(), acc = 0;
        int last = 0;
        for (int i = 0; i < v; i++) {
            if (p[i] == 0) continue;
            acc += p[i];
            last = i;
            if (r < acc) return i;
        }
        return last;
    }
}
