package dev.nanolab.models.modern;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionLayer;
import dev.nanolab.api.attention.AttentionSpec;
import dev.nanolab.api.attention.KvCache;
import dev.nanolab.api.nn.Dropout;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.tensor.Tensor;
import java.util.List;

/**
 * Self-attention as modded-nanogpt's {@code CausalSelfAttention}, each change optional: one projection to q, k, v
 * ({@code qkv_w}); values mixed with the layer's value embedding, v = λ0·v + λ1·ve ({@code lambdas}); QK-norm; rotary
 * positions; the attention scale; the variant (the normaliser plugin) under this layer's window and document mask; an
 * output projection ({@code c_proj}).
 */
final class ModernAttention extends Layer {
    private final ModernGptConfig c;
    private final Parts p;
    private final Tensor qkvW, qkvB;
    private final Tensor lambdas;
    private final AttentionLayer attention;
    private final Linear cProj;
    private final Dropout residDropout;

    ModernAttention(Parts p, boolean valueMix) {
        this.p = p;
        this.c = p.config();
        int n = c.nEmbd();
        qkvW = parameter("qkv_w", p.linear(n).create(p.backend(), 3 * n, n));
        qkvB = c.bias() ? parameter("qkv_b", Init.zeros().create(p.backend(), 3 * n)) : null;
        lambdas = valueMix ? parameter("lambdas", Tensor.of(p.backend(), new float[] {0.5f, 0.5f}, 2)) : null;
        // The attention scale is the variant's (AttentionSpec): modded-nanogpt's 0.12 with QK-norm; 0 keeps 1/√D.
        attention = child("attention", p.variant().create(new AttentionSpec(p.backend(), n, c.nHead(), c.blockSize(),
                c.dropout(), c.bias(), p.initRng(), p.dropoutRng(), c.attentionScale() > 0 ? c.attentionScale() : Float.NaN)));
        cProj = child("c_proj", new Linear(p.backend(), n, n, c.bias(), p.projection(n)));
        residDropout = child("resid_dropout", new Dropout(c.dropout(), p.dropoutRng()));
    }

    /** Whether q, k or v are changed after the projection, so the packed projection cannot be read in place. */
    private boolean transformsQkv() {
        return lambdas != null || c.qkNorm() || c.rope() != ModernGptConfig.Rope.NONE;
    }

    /**
     * Attention of x (B, T, C) at absolute positions [offset, offset + T): over the whole sequence when {@code cache}
     * is null, else over every cached position after appending x's keys and values. {@code ve} is this layer's value
     * embedding (B, T, C) or null; {@code window} 0 for none; {@code docs} the document starts (B, T) or null.
     */
    Tensor forward(Tensor x, Tensor ve, KvCache cache, int offset, int window, Tensor docs) {
        Tensor qkv = F.linear(x, qkvW, qkvB);
        AttentionInputs in;
        if (cache == null && !transformsQkv()) {
            in = AttentionInputs.packed(x, qkv);
        } else {
            int n = c.nEmbd();
            List<Tensor> parts = qkv.split(2, n, n, n);
            Tensor q = parts.get(0), k = parts.get(1), v = parts.get(2);
            if (lambdas != null) {
                v = v.mul(lambdas.slice(0, 0, 1));
                if (ve != null) v = v.add(ve.mul(lambdas.slice(0, 1, 2)));
            }
            if (c.qkNorm()) {
                q = headNorm(q);
                k = headNorm(k);
            }
            if (p.rotary() != null) {
                q = F.rope(q, c.nHead(), p.rotary(), offset);
                k = F.rope(k, c.nHead(), p.rotary(), offset);
            }
            if (cache != null) {
                KvCache.Entries kv = cache.append(k, v);
                k = kv.keys();
                v = kv.values();
            }
            in = AttentionInputs.split(x, q, k, v);
        }
        in = in.masked(window, docs);
        return emit(residDropout.forward(cProj.forward(attention.attend(in))));
    }

    /** RMS norm of each head's D channels, without a scale. */
    private Tensor headNorm(Tensor t) {
        int b = t.dim(0), n = t.dim(1);
        return F.rmsNorm(t.reshape(b, n, c.nHead(), c.headDim()), null, Norms.RMS_EPS).reshape(b, n, c.nEmbd());
    }

    AttentionLayer layer() {
        return attention;
    }
}
