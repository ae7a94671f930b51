package dev.nanolab.models.gpt;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.embedding.EmbeddingContext;
import dev.nanolab.api.embedding.EmbeddingVariant;
import dev.nanolab.api.embedding.TokenEmbedding;
import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.nn.Dropout;
import dev.nanolab.api.nn.Embedding;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.LayerNorm;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.nn.LayerList;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.models.embedding.TokenLookup;

/**
 * nanoGPT's GPT: token (a pluggable {@link TokenEmbedding}, {@code model.embedding}) and learned position embeddings, pre-LayerNorm blocks whose attention normaliser is a
 * plugin, a final LayerNorm, and an LM head tied to the token embedding. Initialised as nanoGPT does: normal(0, 0.02)
 * everywhere, the residual projections scaled by 1/√(2·n_layer). Parameter names follow nanoGPT's
 * ({@code transformer.h.0.attn.c_attn.weight}).
 */
public final class Gpt extends LanguageModel {
    /** What the modules of a GPT are built from. */
    record Parts(GptConfig config, Backend backend, AttentionVariant variant, EmbeddingVariant embedding, Tokenizer tokenizer,
                 Rng initRng, Rng dropoutRng) {
        Init init() {
            return Init.normal(initRng, 0.02f);
        }

        /** nanoGPT's special scaled init of the residual projections, per GPT-2. */
        Init residualInit() {
            return Init.normal(initRng, (float) (0.02 / Math.sqrt(2.0 * config.nLayer())));
        }
    }

    /** nanoGPT's {@code transformer} ModuleDict. */
    static final class Transformer extends Layer {
        final TokenEmbedding wte;
        final Embedding wpe;
        final Dropout drop;
        final LayerList<Block> h;
        final LayerNorm lnF;

        Transformer(Parts p, int vocab) {
            GptConfig c = p.config();
            wte = child("wte", p.embedding().create(new EmbeddingContext(p.backend(), vocab, c.nEmbd(), p.init(), p.initRng(), p.tokenizer())));
            wpe = child("wpe", new Embedding(p.backend(), c.blockSize(), c.nEmbd(), p.init()));
            drop = child("drop", new Dropout(c.dropout(), p.dropoutRng()));
            h = child("h", new LayerList<>());
            for (int i = 0; i < c.nLayer(); i++) h.add(new Block(p));
            lnF = child("ln_f", new LayerNorm(p.backend(), c.nEmbd(), c.bias()));
        }
    }

    private final GptConfig config;
    private final int vocab;
    private final Backend backend;
    final Transformer transformer;

    public Gpt(GptConfig config, AttentionVariant variant, ModelContext ctx) {
        this(config, variant, TokenLookup::new, ctx);
    }

    public Gpt(GptConfig config, AttentionVariant variant, EmbeddingVariant embedding, ModelContext ctx) {
        if (config.vocabSize() != 0 && config.vocabSize() < ctx.vocabSize())
            throw new IllegalArgumentException("model.vocab_size " + config.vocabSize() + " is smaller than the tokenizer's vocabulary " + ctx.vocabSize());
        this.config = config;
        this.vocab = config.vocabSize() == 0 ? ctx.vocabSize() : config.vocabSize();
        this.backend = ctx.backend();
        this.transformer = child("transformer", new Transformer(new Parts(config, ctx.backend(), variant, embedding, ctx.tokenizer(), ctx.initRng(), ctx.dropoutRng()), vocab));
    }

    public GptConfig config() {
        return config;
    }

    @Override
    public int blockSize() {
        return config.blockSize();
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public Tensor logits(Tensor ids) {
        // The LM head shares the token embedding's weight (weight tying).
        return F.linear(trunk(ids), transformer.wte.tokenTable(), null);
    }

    /** The head fused with the loss: for a large vocabulary the (B, T, V) logits are never written whole. */
    @Override
    public Tensor loss(Tensor ids, Tensor targets) {
        return F.linearCrossEntropy(trunk(ids), transformer.wte.tokenTable(), targets, -1, null);
    }

    /** ln_f(blocks(wte(ids) + wpe(positions))): what the LM head reads. */
    private Tensor trunk(Tensor ids) {
        int t = ids.dim(1);
        if (t > config.blockSize())
            throw new IllegalArgumentException("cannot forward a sequence of " + t + " tokens: block_size is only " + config.blockSize());
        Tensor tok = transformer.wte.forward(ids);
        Tensor x = transformer.drop.forward(tok.add(transformer.wpe.forward(positions(0, t))));
        for (Block b : transformer.h) x = b.forward(x, null);
        return transformer.lnF.forward(x);
    }

    /** Position ids {@code [from, from + n)} as a (n) int tensor. */
    Tensor positions(int from, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = from + i;
        return Tensor.ofInts(backend, p, n);
    }

    /** nanoGPT's {@code get_num_params()}: position embeddings are not counted; the tied head is counted once. */
    @Override
    public long reportedParameterCount() {
        return parameterCount() - transformer.wpe.weight().size();
    }

    /** nanoGPT's {@code estimate_mfu}: 6N plus the attention scores and weighted sums, 12·L·C·T per token. */
    @Override
    public double trainingFlopsPerToken(int seqLen) {
        return 6.0 * reportedParameterCount() + 12.0 * config.nLayer() * config.nEmbd() * seqLen;
    }

    @Override
    public Decoder decoder(int batch) {
        return TensorScope.outside(() -> new GptDecoder(this, batch));
    }
}
