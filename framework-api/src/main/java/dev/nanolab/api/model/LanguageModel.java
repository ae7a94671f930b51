package dev.nanolab.api.model;

import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A next-token model: token ids (B, T) in, logits (B, T, V) out. The training pipeline, sampling and evaluation work
 * with any architecture through this class.
 */
public abstract class LanguageModel extends Layer {
    /** Logits (B, T, V) for int32 ids (B, T). */
    public abstract Tensor logits(Tensor ids);

    /** Mean next-token cross-entropy of {@link #logits} against targets (B, T); -1 targets are ignored. */
    public Tensor loss(Tensor ids, Tensor targets) {
        return F.crossEntropy(logits(ids), targets, -1);
    }

    /**
     * The sequence length the model trains on and the longest context a forward pass takes; the trainer samples
     * windows of this many tokens. A recurrent model's decoder may carry its state past it (its context is unbounded).
     */
    public abstract int blockSize();

    public abstract int vocabSize();

    /**
     * The parameter count reported at start. By default every parameter; a GPT leaves out the position embeddings,
     * as nanoGPT's {@code get_num_params()} does.
     */
    public long reportedParameterCount() {
        return parameterCount();
    }

    /**
     * Floating-point operations to train on one token (forward and backward) with sequences of {@code seqLen}, for
     * MFU: 6 per parameter by default (2 forward, 4 backward), as in Kaplan et al. and nanoGPT's estimate.
     */
    public double trainingFlopsPerToken(int seqLen) {
        return 6.0 * reportedParameterCount();
    }

    /**
     * Re-estimates normalisation statistics from training data before an evaluation: PreciseBN (Wu &amp; Johnson,
     * 2021). A model with batch norm runs its forward, without gradients, over batches drawn from
     * {@code trainInputs} (int32 ids (B, T), one batch per call) and replaces its running statistics with the
     * population statistics of those batches, so evaluation does not depend on a momentum average of stale
     * statistics. The model decides how many batches it draws. A no-op for models without batch statistics.
     */
    public void recalibrate(Supplier<Tensor> trainInputs) {}

    /** An incremental decoder; architectures with a cache or a state override this. */
    public Decoder decoder(int batch) {
        return recomputingDecoder(batch);
    }

    /**
     * A decoder that re-runs the model on the last {@link #blockSize()} tokens for every new token, as nanoGPT's
     * {@code generate} does: the reference a cached decoder must agree with.
     */
    public final Decoder recomputingDecoder(int batch) {
        LanguageModel model = this;
        return new Decoder() {
            private final List<int[]> history = new ArrayList<>();

            @Override
            public Tensor feed(Tensor ids) {
                Decoder.checkIds(ids, batch);
                history.add(ids.toIntArray());
                int total = 0;
                for (int[] h : history) total += h.length / batch;
                int t = Math.min(total, model.blockSize());
                int[] window = new int[batch * t];
                for (int b = 0; b < batch; b++) {
                    int pos = 0, skip = total - t;
                    for (int[] h : history) {
                        int n = h.length / batch;
                        for (int i = 0; i < n; i++, pos++) if (pos >= skip) window[b * t + pos - skip] = h[b * n + i];
                    }
                }
                try (GradMode.Scope ignored = GradMode.disabled()) {
                    Tensor logits = model.logits(Tensor.ofInts(ids.backend(), window, batch, t));
                    return logits.slice(1, t - 1, t).view(Shape.of(batch, logits.dim(2)));
                }
            }
        };
    }
}
