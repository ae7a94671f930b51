package dev.nanolab.api.nn;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Tensor;

/** A (vocab, dim) table looked up by int32 ids. */
public final class Embedding extends Layer {
    private final Tensor weight;

    public Embedding(Backend backend, int vocab, int dim, Init init) {
        this.weight = parameter("weight", init.create(backend, vocab, dim));
    }

    public Tensor forward(Tensor ids) {
        return emit(F.embedding(ids, weight));
    }

    public Tensor weight() {
        return weight;
    }
}
