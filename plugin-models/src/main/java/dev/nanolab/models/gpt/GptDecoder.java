package dev.nanolab.models.gpt;

import dev.nanolab.api.attention.KvCache;
import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.models.decoding.TokenHistory;

/**
 * KV-cached generation: each block keeps the keys and values of every position seen, (B, block_size, C), so a new
 * token costs one position's work. When the sequence outgrows block_size the context is cropped to the last
 * block_size tokens, as nanoGPT's {@code generate} does; positions then shift, so the cache is rebuilt from the
 * cropped context (the same computation nanoGPT does for every token past block_size).
 */
final class GptDecoder implements Decoder {
    private final Gpt model;
    private final int batch;
    private final int c;
    private final KvCache[] caches;
    private final TokenHistory history;
    private int position;

    GptDecoder(Gpt model, int batch) {
        this.model = model;
        this.batch = batch;
        this.c = model.config().nEmbd();
        this.history = new TokenHistory(batch);
        caches = new KvCache[model.config().nLayer()];
        for (int i = 0; i < caches.length; i++)
            caches[i] = new KvCache(model.transformer.wte.tokenTable().backend(), batch, model.blockSize(), c);
    }

    @Override
    public Tensor feed(Tensor ids) {
        Decoder.checkIds(ids, batch);
        int n = ids.dim(1);
        history.add(ids.toIntArray());
        try (GradMode.Scope ignored = GradMode.disabled()) {
            if (position + n <= model.blockSize()) return step(ids, n);
            // Crop: restart the cache from the last block_size tokens.
            int t = model.blockSize();
            int[] window = history.last(t);
            position = 0;
            for (KvCache cache : caches) cache.reset();
            return step(Tensor.ofInts(ids.backend(), window, batch, t), t);
        }
    }

    /** Runs n new positions through every block, each appending their keys and values to its cache. */
    private Tensor step(Tensor ids, int n) {
        Gpt.Transformer tr = model.transformer;
        Tensor context = history.context(ids.backend(), n, position, tr.wte.contextTokens());
        Tensor x = tr.wte.forward(ids, context).add(tr.wpe.forward(model.positions(position, n)));
        int layer = 0;
        for (Block b : tr.h) x = b.forward(x, caches[layer++]);
        position += n;
        Tensor last = x.slice(1, n - 1, n);
        return F.linear(tr.lnF.forward(last), tr.wte.tokenTable(), null).view(Shape.of(batch, model.vocabSize()));
    }

    @Override
    public void close() {
        for (KvCache cache : caches) cache.close();
    }
}
