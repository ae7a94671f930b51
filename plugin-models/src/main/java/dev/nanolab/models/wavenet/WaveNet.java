package dev.nanolab.models.wavenet;

import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.nn.Embedding;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.LayerNorm;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.LayerList;
import dev.nanolab.api.tensor.Tensor;

/**
 * WaveNet over tokens: an embedding, residual layers with dilations 1, 2, 4, …, block_size/2 (so output t sees
 * exactly tokens t − block_size + 1 … t, zeros before the start), the sum of their skip outputs, and a 1×1 head:
 * ReLU, linear, ReLU, linear to the vocabulary. Causal by construction; sequences of any length are fine, and the
 * recomputing decoder, which re-runs the last block_size tokens, is exact.
 */
public final class WaveNet extends LanguageModel {
    private final WaveNetConfig config;
    private final int vocab;
    final Embedding wte;
    final LayerList<ResidualLayer> layers;
    final LayerNorm lnF;
    final Linear fc;
    final Linear lmHead;

    public WaveNet(WaveNetConfig config, ModelContext ctx) {
        this.config = config;
        this.vocab = ctx.vocabSize();
        var be = ctx.backend();
        int s = config.skipChannels();
        wte = child("wte", new Embedding(be, vocab, config.nEmbd(), Init.normal(ctx.initRng(), 1f)));
        layers = child("layers", new LayerList<>());
        for (int i = 0; i < config.nLayer(); i++)
            layers.add(new ResidualLayer(be, config, 1 << i, i == config.nLayer() - 1, ctx.initRng()));
        lnF = config.layerNorm() ? child("ln_f", new LayerNorm(be, s, true)) : null;
        Init init = Init.uniform(ctx.initRng(), (float) (1 / Math.sqrt(s)));
        fc = child("fc", new Linear(be, s, s, true, init));
        lmHead = child("lm_head", new Linear(be, s, vocab, true, init));
    }

    public WaveNetConfig config() {
        return config;
    }

    @Override
    public Tensor logits(Tensor ids) {
        Tensor x = wte.forward(ids);
        Tensor skip = null;
        for (ResidualLayer layer : layers) {
            ResidualLayer.Output out = layer.forward(x);
            x = out.residual();
            skip = skip == null ? out.skip() : skip.add(out.skip());
        }
        if (lnF != null) skip = lnF.forward(skip);
        return lmHead.forward(fc.forward(skip.relu()).relu());
    }

    /** The receptive field. */
    @Override
    public int blockSize() {
        return config.blockSize();
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    /** 6 per weight that multiplies (each conv tap once per token); the embedding is a lookup. */
    @Override
    public double trainingFlopsPerToken(int seqLen) {
        return 6.0 * (parameterCount() - wte.weight().size());
    }
}
