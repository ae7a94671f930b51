package dev.nanolab.models.mlp;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.nn.Embedding;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.nn.LayerList;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import java.util.function.Supplier;

/**
 * Bengio et al.'s neural probabilistic language model, as in Karpathy's makemore: for every position t, the
 * embeddings of tokens t − block_size + 1 … t are concatenated to one (block_size·C) vector, which goes through
 * hidden layers (linear, optional batch norm, tanh) to logits over the vocabulary.
 *
 * <p>Padding: a window reaching before the start of the sequence is filled with a reserved pad token, id
 * {@code vocab_size}, whose embedding is learned (the table has vocab_size + 1 rows). A real token, such as id 0,
 * would tell the model a character was there; the pad says nothing was.
 *
 * <p>Batch norm's statistics are taken over every position of every sequence in a batch (B·T rows), as makemore
 * does; in eval mode each row is normalised by the running statistics alone, which {@link #recalibrate} re-estimates
 * (PreciseBN).
 */
public final class BengioMlp extends LanguageModel {
    /** Linear, then batch norm (if configured), then tanh. */
    static final class Hidden extends Layer {
        final Linear fc;
        final BatchNorm1d bn;

        Hidden(Backend backend, int in, int out, boolean batchNorm, Rng rng) {
            // Kaiming init for tanh (gain 5/3), as makemore; batch norm's shift makes the linear bias redundant.
            fc = child("fc", new Linear(backend, in, out, !batchNorm, Init.normal(rng, (float) (5.0 / 3 / Math.sqrt(in)))));
            bn = batchNorm ? child("bn", new BatchNorm1d(backend, out)) : null;
        }

        Tensor forward(Tensor x) {
            Tensor h = fc.forward(x);
            return emit((bn == null ? h : bn.forward(h)).tanh());
        }
    }

    private final MlpConfig config;
    private final int vocab;
    final Embedding wte;
    final LayerList<Hidden> hidden;
    final Linear lmHead;

    public BengioMlp(MlpConfig config, ModelContext ctx) {
        this.config = config;
        this.vocab = ctx.vocabSize();
        Backend be = ctx.backend();
        wte = child("wte", new Embedding(be, vocab + 1, config.nEmbd(), Init.normal(ctx.initRng(), 1f)));
        hidden = child("hidden", new LayerList<>());
        for (int i = 0; i < config.nLayer(); i++) {
            int in = i == 0 ? config.blockSize() * config.nEmbd() : config.nHidden();
            hidden.add(new Hidden(be, in, config.nHidden(), config.batchNorm(), ctx.initRng()));
        }
        lmHead = child("lm_head", new Linear(be, config.nHidden(), vocab, true, Init.normal(ctx.initRng(), 0.02f)));
    }

    public MlpConfig config() {
        return config;
    }

    @Override
    public Tensor logits(Tensor ids) {
        int b = ids.dim(0), t = ids.dim(1);
        Tensor x = wte.forward(contexts(ids)).view(Shape.of(b * t, config.blockSize() * config.nEmbd()));
        for (Hidden h : hidden) x = h.forward(x);
        return lmHead.forward(x).view(Shape.of(b, t, vocab));
    }

    /** For each position t, the ids of positions t − block_size + 1 … t, the pad id before the start: (B, T, block_size). */
    Tensor contexts(Tensor ids) {
        int b = ids.dim(0), t = ids.dim(1), n = config.blockSize();
        int[] src = ids.toIntArray(), out = new int[b * t * n];
        for (int s = 0; s < b; s++)
            for (int i = 0; i < t; i++)
                for (int k = 0; k < n; k++) {
                    int pos = i - n + 1 + k;
                    out[(s * t + i) * n + k] = pos < 0 ? vocab : src[s * t + pos];
                }
        return Tensor.ofInts(ids.backend(), out, b, t, n);
    }

    /**
     * PreciseBN: runs {@code precise_bn_batches} training batches through the model without gradients, every batch
     * norm normalising by batch statistics as in training, and sets each one's running statistics to the pooled mean
     * and variance of all the rows it saw. All layers are collected in the same passes, as fvcore's
     * {@code update_bn_stats} does.
     */
    @Override
    public void recalibrate(Supplier<Tensor> trainInputs) {
        if (!config.batchNorm() || config.preciseBnBatches() == 0) return;
        for (Hidden h : hidden) h.bn.startRecalibration();
        try (GradMode.Scope ignored = GradMode.disabled()) {
            for (int i = 0; i < config.preciseBnBatches(); i++) {
                try (TensorScope step = TensorScope.open()) {
                    logits(trainInputs.get());
                }
            }
        } finally {
            for (Hidden h : hidden) h.bn.finishRecalibration();
        }
    }

    /** The context length; positions nearer the start see pads. */
    @Override
    public int blockSize() {
        return config.blockSize();
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    /** 6 per weight that multiplies; the embedding is a lookup. */
    @Override
    public double trainingFlopsPerToken(int seqLen) {
        return 6.0 * (parameterCount() - wte.weight().size());
    }
}
