package dev.nanolab.models.modern;

import dev.nanolab.api.attention.KvCache;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Tensor;

/**
 * A pre-norm block: x = λ0·x + λ1·x0 (when x0 lambdas are on), x + attn(norm(x)), then x + mlp(norm(x)).
 */
final class ModernBlock extends Layer {
    final Layer ln1;
    final ModernAttention attn;
    final Layer ln2;
    final ModernMlp mlp;
    private final Tensor lambdas;

    ModernBlock(Parts p, boolean valueMix) {
        lambdas = p.config().x0Lambdas() ? parameter("lambdas", Tensor.of(p.backend(), new float[] {1f, 0f}, 2)) : null;
        ln1 = child("ln_1", Norms.create(p));
        attn = child("attn", new ModernAttention(p, valueMix));
        ln2 = child("ln_2", Norms.create(p));
        mlp = child("mlp", new ModernMlp(p));
    }

    /** One block at positions [offset, offset + T); with a cache, x holds the new positions only. */
    Tensor forward(Tensor x, Tensor x0, Tensor ve, KvCache cache, int offset, int window, Tensor docs) {
        if (lambdas != null) x = x.mul(lambdas.slice(0, 0, 1)).add(x0.mul(lambdas.slice(0, 1, 2)));
        x = x.add(attn.forward(Norms.apply(ln1, x), ve, cache, offset, window, docs));
        x = x.add(mlp.forward(Norms.apply(ln2, x)));
        return emit(x);
    }
}
