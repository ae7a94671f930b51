package dev.nanolab.models.embedding;

import dev.nanolab.api.embedding.EmbeddingContext;
import dev.nanolab.api.embedding.TokenEmbedding;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Tensor;

/** {@code token}: the (vocab, C) table looked up by id, as nanoGPT's {@code wte}. */
public final class TokenLookup extends TokenEmbedding {
    private final Tensor weight;

    public TokenLookup(EmbeddingContext ctx) {
        weight = parameter("weight", ctx.tokenInit().create(ctx.backend(), ctx.vocabSize(), ctx.width()));
    }

    @Override
    public Tensor forward(Tensor ids, Tensor context) {
        return emit(F.embedding(ids, weight));
    }

    @Override
    public Tensor tokenTable() {
        return weight;
    }
}
