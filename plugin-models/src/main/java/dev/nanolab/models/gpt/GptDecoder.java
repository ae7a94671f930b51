package dev.nanolab.models.gpt;

import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;

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
    private final Tensor[] keys;
    private final Tensor[] values;
    /** Every token fed, per sequence, for rebuilding after a crop. */
    private final List<int[]> history = new ArrayList<>();
    private int length;
    private int position;

    GptDecoder(Gpt model, int batch) {
        this.model = model;
        this.batch = batch;
        this.c = model.config().nEmbd();
        int layers = model.config().nLayer(), t = model.blockSize();
        keys = new Tensor[layers];
        values = new Tensor[layers];
        for (int i = 0; i < layers; i++) {
            keys[i] = Tensor.empty(model.transformer.wte.weight().backend(), Shape.of(batch, t, c));
            values[i] = Tensor.empty(model.transformer.wte.weight().backend(), Shape.of(batch, t, c));
        }
    }

    @Override
    public Tensor feed(Tensor ids) {
        Decoder.checkIds(ids, batch);
        int n = ids.dim(1);
        int[] fresh = ids.toIntArray();
        history.add(fresh);
        length += n;
        try (GradMode.Scope ignored = GradMode.disabled()) {
            if (position + n <= model.blockSize()) return step(ids, n);
            // Crop: restart the cache from the last block_size tokens.
            int t = model.blockSize();
            int[] window = lastTokens(t);
            position = 0;
            return step(Tensor.ofInts(ids.backend(), window, batch, t), t);
        }
    }

    private int[] lastTokens(int t) {
        int[] window = new int[batch * t];
        for (int b = 0; b < batch; b++) {
            int pos = 0, skip = length - t;
            for (int[] h : history) {
                int n = h.length / batch;
                for (int i = 0; i < n; i++, pos++) if (pos >= skip) window[b * t + pos - skip] = h[b * n + i];
            }
        }
        return window;
    }

    /** Runs n new positions through every block, appending their keys and values to the cache. */
    private Tensor step(Tensor ids, int n) {
        Gpt.Transformer tr = model.transformer;
        Tensor x = tr.wte.forward(ids).add(tr.wpe.forward(model.positions(position, n)));
        int end = position + n;
        int layer = 0;
        for (Block b : tr.h) {
            Tensor h = b.ln1.forward(x);
            List<Tensor> qkv = b.attn.project(h).split(2, c, c, c);
            append(keys[layer], qkv.get(1), n);
            append(values[layer], qkv.get(2), n);
            Tensor k = prefix(keys[layer], end), v = prefix(values[layer], end);
            x = x.add(b.attn.forwardCached(h, qkv.get(0), k, v));
            x = x.add(b.mlp.forward(b.ln2.forward(x)));
            layer++;
        }
        position = end;
        Tensor last = x.slice(1, n - 1, n);
        return F.linear(tr.lnF.forward(last), tr.wte.weight(), null).view(Shape.of(batch, model.vocabSize()));
    }

    /** cache[:, position:position+n, :] = fresh */
    private void append(Tensor cache, Tensor fresh, int n) {
        int t = model.blockSize();
        cache.backend().pointwise().copy(fresh.storage(), fresh.offset(), new int[] {n * c, c, 1}, cache.storage(),
                cache.offset() + (long) position * c, new int[] {t * c, c, 1}, new int[] {batch, n, c}, false);
    }

    /** cache[:, :end, :] as a contiguous (B, end, C) tensor: a view when B = 1, a copy otherwise. */
    private Tensor prefix(Tensor cache, int end) {
        if (batch == 1) return Tensor.wrap(cache.backend(), cache.storage(), cache.offset(), Shape.of(1, end, c));
        return cache.slice(1, 0, end);
    }

    @Override
    public void close() {
        for (Tensor t : keys) t.release();
        for (Tensor t : values) t.release();
    }
}
