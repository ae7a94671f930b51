package dev.nanolab.models.gpt;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.KvCache;
import dev.nanolab.api.attention.AttentionLayer;
import dev.nanolab.api.attention.AttentionSpec;
import dev.nanolab.api.nn.Dropout;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Tensor;
import java.util.List;

/**
 * nanoGPT's {@code CausalSelfAttention}: one projection to q, k, v (c_attn), the attention variant, an output
 * projection (c_proj) and residual dropout. The variant decides how scores are normalised.
 */
final class CausalSelfAttention extends Layer {
    private final Linear cAttn;
    private final AttentionLayer attention;
    private final Linear cProj;
    private final Dropout residDropout;

    CausalSelfAttention(Gpt.Parts p) {
        GptConfig c = p.config();
        cAttn = child("c_attn", new Linear(p.backend(), c.nEmbd(), 3 * c.nEmbd(), c.bias(), p.init()));
        attention = child("attention", p.variant().create(new AttentionSpec(p.backend(), c.nEmbd(), c.nHead(),
                c.blockSize(), c.dropout(), c.bias(), p.initRng(), p.dropoutRng())));
        cProj = child("c_proj", new Linear(p.backend(), c.nEmbd(), c.nEmbd(), c.bias(), p.residualInit()));
        residDropout = child("resid_dropout", new Dropout(c.dropout(), p.dropoutRng()));
    }

    /**
     * Self-attention of x (B, T, C): over the whole sequence when {@code cache} is null (training, evaluation), else
     * of x's new positions over every cached one, after appending x's keys and values to the cache (decoding).
     */
    Tensor forward(Tensor x, KvCache cache) {
        Tensor qkv = cAttn.forward(x);
        AttentionInputs in;
        if (cache == null) {
            in = AttentionInputs.packed(x, qkv);
        } else {
            int c = x.dim(2);
            List<Tensor> p = qkv.split(2, c, c, c);
            KvCache.Entries kv = cache.append(p.get(1), p.get(2));
            in = AttentionInputs.split(x, p.get(0), kv.keys(), kv.values());
        }
        return emit(residDropout.forward(cProj.forward(attention.attend(in))));
    }

    AttentionLayer layer() {
        return attention;
    }
}
