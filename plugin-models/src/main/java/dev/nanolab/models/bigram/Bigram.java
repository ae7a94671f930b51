package dev.nanolab.models.bigram;

import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.nn.Embedding;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;

/**
 * The bigram language model of Karpathy's "Let's build GPT": logits = table[token]. The baseline every comparison
 * should show: what a model learns beyond it, it learns from context.
 */
public final class Bigram extends LanguageModel {
    private final BigramConfig config;
    private final int vocab;
    final Embedding tokenEmbeddingTable;

    public Bigram(BigramConfig config, ModelContext ctx) {
        this.config = config;
        this.vocab = ctx.vocabSize();
        tokenEmbeddingTable = child("token_embedding_table", new Embedding(ctx.backend(), vocab, vocab, Init.normal(ctx.initRng(), 0.02f)));
    }

    @Override
    public Tensor logits(Tensor ids) {
        return tokenEmbeddingTable.forward(ids);
    }

    /** The training window. */
    @Override
    public int blockSize() {
        return config.blockSize();
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    /** A lookup does no multiply-adds: MFU reads 0. */
    @Override
    public double trainingFlopsPerToken(int seqLen) {
        return 0;
    }

    /** Only the last token matters: one table row per step, whatever came before. */
    @Override
    public Decoder decoder(int batch) {
        return ids -> {
            Decoder.checkIds(ids, batch);
            int n = ids.dim(1);
            try (GradMode.Scope ignored = GradMode.disabled()) {
                return logits(ids.slice(1, n - 1, n)).view(Shape.of(batch, vocab));
            }
        };
    }
}
