package dev.nanolab.models.lstm;

import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.nn.Dropout;
import dev.nanolab.api.nn.Embedding;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.LayerNorm;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.LayerList;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;

/**
 * A character-level LSTM language model: token embedding, layer norm, a stack of LSTM layers (each output through
 * dropout), a residual connection from the normalised embedding around the stack, and an MLP head (C → 4C, GELU →
 * vocabulary).
 *
 * <p>Context: {@link #blockSize()} is the training window (the trainer samples windows of that many tokens, each
 * starting from a zero state). {@link #logits} takes sequences of any length, and the {@link #decoder} carries the
 * hidden state from token to token, so generation costs one step per token and its context is unbounded; it agrees
 * with {@link #logits} over the whole prefix, not with {@link #recomputingDecoder}, which crops to block_size.
 */
public final class Lstm extends LanguageModel {
    private final LstmConfig config;
    private final int vocab;
    final Embedding wte;
    final LayerNorm ln;
    final LayerList<LstmLayer> lstm;
    final Dropout drop;
    final Linear fc;
    final Linear lmHead;

    public Lstm(LstmConfig config, ModelContext ctx) {
        this.config = config;
        this.vocab = ctx.vocabSize();
        int c = config.nEmbd();
        Init init = Init.normal(ctx.initRng(), 0.02f);
        wte = child("wte", new Embedding(ctx.backend(), vocab, c, init));
        ln = child("ln", new LayerNorm(ctx.backend(), c, true));
        lstm = child("lstm", new LayerList<>());
        for (int i = 0; i < config.nLayer(); i++) lstm.add(new LstmLayer(ctx.backend(), c, ctx.initRng()));
        drop = child("drop", new Dropout(config.dropout(), ctx.dropoutRng()));
        fc = child("fc", new Linear(ctx.backend(), c, 4 * c, true, init));
        lmHead = child("lm_head", new Linear(ctx.backend(), 4 * c, vocab, true, init));
    }

    public LstmConfig config() {
        return config;
    }

    @Override
    public Tensor logits(Tensor ids) {
        return head(forward(ids, new F.LstmState[config.nLayer()]));
    }

    /**
     * The residual stream (B, T, C) after the LSTM stack, starting each layer from {@code state[layer]} (null: zero);
     * leaves each layer's last state in {@code state}.
     */
    Tensor forward(Tensor ids, F.LstmState[] state) {
        Tensor x = ln.forward(wte.forward(ids));
        Tensor h = x;
        for (int i = 0; i < lstm.size(); i++) {
            LstmLayer.Output out = lstm.get(i).forward(h, state[i]);
            h = drop.forward(out.sequence());
            state[i] = out.last();
        }
        return x.add(h);
    }

    /** The MLP head: logits (..., V). */
    Tensor head(Tensor x) {
        return lmHead.forward(F.gelu(fc.forward(x)));
    }

    /** The training window; contexts at inference are unbounded (see the class comment). */
    @Override
    public int blockSize() {
        return config.blockSize();
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    /** 6 per weight that multiplies (forward 2, backward 4); the embedding is a lookup. */
    @Override
    public double trainingFlopsPerToken(int seqLen) {
        return 6.0 * (parameterCount() - wte.weight().size());
    }

    @Override
    public Decoder decoder(int batch) {
        return TensorScope.outside(() -> new LstmDecoder(this, batch));
    }
}
