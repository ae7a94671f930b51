package dev.nanolab.training.sample;

import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.training.data.TokenFile;

/**
 * Loss over a whole token sequence, in consecutive windows of block_size (every token predicted once, from up to
 * block_size − 1 tokens of context), reported as mean loss, perplexity exp(loss), and bits per character.
 */
public final class Evaluation {
    /**
     * @param loss        mean cross-entropy in nats per token
     * @param perplexity  exp(loss)
     * @param bitsPerChar total bits over the characters the tokens decode to
     * @param tokens      tokens scored
     * @param characters  characters they decode to
     */
    public record Result(double loss, double perplexity, double bitsPerChar, long tokens, long characters) {}

    private Evaluation() {}

    /** Scores {@code ids} (at most {@code maxTokens}, 0 = all). */
    public static Result of(LanguageModel model, Tokenizer tokenizer, TokenFile ids, long maxTokens) {
        long n = maxTokens > 0 ? Math.min(ids.count(), maxTokens) : ids.count();
        int[] all = new int[(int) Math.min(n, Integer.MAX_VALUE - 8)];
        ids.read(0, all, 0, all.length);
        return of(model, tokenizer, all);
    }

    public static Result of(LanguageModel model, Tokenizer tokenizer, int[] ids) {
        if (ids.length < 2) throw new IllegalArgumentException("need at least 2 tokens to evaluate, got " + ids.length);
        int block = (int) Math.min(model.blockSize(), ids.length - 1L);
        var be = model.namedParameters().values().iterator().next().backend();
        double nats = 0;
        long scored = 0;
        model.eval();
        try (GradMode.Scope ng = GradMode.disabled()) {
            for (int at = 0; at + 1 < ids.length; at += block) {
                int t = Math.min(block, ids.length - 1 - at);
                int[] x = new int[t], y = new int[t];
                System.arraycopy(ids, at, x, 0, t);
                System.arraycopy(ids, at + 1, y, 0, t);
                try (TensorScope s = TensorScope.open()) {
                    nats += (double) model.loss(Tensor.ofInts(be, x, 1, t), Tensor.ofInts(be, y, 1, t)).item() * t;
                }
                scored += t;
            }
        }
        long chars = tokenizer.decode(java.util.Arrays.copyOfRange(ids, 1, ids.length)).length();
        double loss = nats / scored;
        return new Result(loss, Math.exp(loss), nats / Math.log(2) / Math.max(1, chars), scored, chars);
    }
}
