package dev.nanolab.models.gpt;

import dev.nanolab.api.attention.KvCache;
import dev.nanolab.api.nn.LayerNorm;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Tensor;

/** A pre-LayerNorm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
final class Block extends Layer {
    final LayerNorm ln1;
    final CausalSelfAttention attn;
    final LayerNorm ln2;
    final Mlp mlp;

    Block(Gpt.Parts p) {
        ln1 = child("ln_1", new LayerNorm(p.backend(), p.config().nEmbd(), p.config().bias()));
        attn = child("attn", new CausalSelfAttention(p));
        ln2 = child("ln_2", new LayerNorm(p.backend(), p.config().nEmbd(), p.config().bias()));
        mlp = child("mlp", new Mlp(p));
    }

    /** x + attn(ln_1(x)), then + mlp(ln_2(x)); with a cache, x holds new positions only (see {@link KvCache}). */
    Tensor forward(Tensor x, KvCache cache) {
        x = x.add(attn.forward(ln1.forward(x), cache));
        x = x.add(mlp.forward(ln2.forward(x)));
        return emit(x);
    }
}
