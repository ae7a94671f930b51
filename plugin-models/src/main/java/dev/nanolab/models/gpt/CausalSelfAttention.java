package dev.nanolab.models.gpt;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionLayer;
import dev.nanolab.api.attention.AttentionSpec;
import dev.nanolab.api.nn.Dropout;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Tensor;

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

    /** Self-attention over the whole sequence (training and evaluation). */
    Tensor forward(Tensor x) {
        Tensor y = attention.attend(AttentionInputs.packed(x, cAttn.forward(x)));
        return emit(residDropout.forward(cProj.forward(y)));
    }

    /** The projection of new positions, for the KV cache: (B, n, 3C). */
    Tensor project(Tensor x) {
        return cAttn.forward(x);
    }

    /** Attention of new queries over cached keys and values, then the output projection. */
    Tensor forwardCached(Tensor x, Tensor q, Tensor k, Tensor v) {
        return emit(cProj.forward(attention.attend(AttentionInputs.split(x, q, k, v))));
    }

    AttentionLayer layer() {
        return attention;
    }
}
