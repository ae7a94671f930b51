package dev.nanolab.models.modern;

import dev.nanolab.api.attention.KvCache;
import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.models.decoding.TokenHistory;

/**
 * KV-cached generation for {@link ModernGpt}: each block caches the keys and values of every position seen (rotated
 * at their absolute positions, so they need no re-rotation); new positions attend under the layer's current window and
 * their documents, which continue from the last fed token's. Past block_size the context is cropped to the last
 * block_size tokens and the caches are rebuilt, positions and documents starting afresh, as the recomputing decoder
 * does.
 */
final class ModernDecoder implements Decoder {
    private final ModernGpt model;
    private final int batch;
    private final KvCache[] caches;
    private final TokenHistory history;
    /** Where each row's current document started (absolute position). */
    private int[] documentStart;
    private int position;

    ModernDecoder(ModernGpt model, int batch) {
        this.model = model;
        this.batch = batch;
        history = new TokenHistory(batch);
        caches = new KvCache[model.config().nLayer()];
        for (int i = 0; i < caches.length; i++)
            caches[i] = new KvCache(model.embed.tokenTable().backend(), batch, model.blockSize(), model.config().nEmbd());
        documentStart = new int[batch];
    }

    @Override
    public Tensor feed(Tensor ids) {
        Decoder.checkIds(ids, batch);
        int n = ids.dim(1);
        history.add(ids.toIntArray());
        try (GradMode.Scope ignored = GradMode.disabled()) {
            if (position + n <= model.blockSize()) return step(ids, n);
            int t = model.blockSize();
            position = 0;
            documentStart = new int[batch];
            for (KvCache cache : caches) cache.reset();
            return step(Tensor.ofInts(ids.backend(), history.last(t), batch, t), t);
        }
    }

    /** Runs n new positions through every block, each appending their keys and values to its cache. */
    private Tensor step(Tensor ids, int n) {
        Tensor docs = model.documents(ids, position, documentStart);
        if (docs != null) {
            int[] starts = docs.toIntArray();
            for (int b = 0; b < batch; b++) documentStart[b] = starts[b * n + n - 1];
        }
        Tensor context = history.context(ids.backend(), n, position, model.embed.contextTokens());
        Tensor x = model.trunk(ids, context, caches, position, model.windowStep(), docs);
        position += n;
        return model.head(x.slice(1, n - 1, n)).view(Shape.of(batch, model.vocabSize()));
    }

    @Override
    public void close() {
        for (KvCache cache : caches) cache.close();
    }
}
