package dev.nanolab.models.modern;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.attention.KvCache;
import dev.nanolab.api.backend.LogitSoftcap;
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
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.nn.LayerList;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.RotaryTable;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.models.embedding.TokenLookup;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The speedrun GPT (modded-nanogpt's architecture), every change a switch of {@link ModernGptConfig}:
 *
 * <pre>
 *   x = x0 = norm(embed(ids))                         (+ learned positions when rope is off)
 *   ve = value_embeds(ids), used by layers 0,1,2 … and …, L−3, L−2, L−1 (the 012…012 pattern)
 *   for each block i:
 *       if i is in the second half: x = x + skip_weights[j] · (output of the mirrored first-half block)
 *       x = block(x, x0, ve[i], window[i], documents)
 *   logits = softcap(lm_head(norm(x)))
 * </pre>
 *
 * Parameter names follow modded-nanogpt's ({@code embed.weight}, {@code value_embeds.0.weight},
 * {@code blocks.0.attn.qkv_w}, {@code blocks.0.lambdas}, {@code skip_weights}, {@code lm_head.weight}); the
 * norms, which modded-nanogpt has no parameters for, keep nanoGPT's ({@code ln_1}, {@code ln_2}, {@code ln_f}).
 */
public final class ModernGpt extends LanguageModel {
    private final ModernGptConfig config;
    private final int vocab;
    private final Parts parts;
    private final Windows windows;

    final TokenEmbedding embed;
    final Embedding wpe;
    private final Dropout drop;
    private final Layer embedNorm;
    final LayerList<Embedding> valueEmbeds;
    final LayerList<ModernBlock> blocks;
    private final Tensor skipWeights;
    final Layer lnF;
    private final Linear lmHead;
    /** Training forward passes so far, for the window schedule; a buffer, so checkpoints keep it. */
    private final Tensor windowStep;

    public ModernGpt(ModernGptConfig config, AttentionVariant variant, ModelContext ctx) {
        this(config, variant, TokenLookup::new, ctx);
    }

    public ModernGpt(ModernGptConfig config, AttentionVariant variant, EmbeddingVariant embedding, ModelContext ctx) {
        if (config.vocabSize() != 0 && config.vocabSize() < ctx.vocabSize())
            throw new IllegalArgumentException("model.vocab_size " + config.vocabSize() + " is smaller than the tokenizer's vocabulary " + ctx.vocabSize());
        if (config.documentBoundary() >= Math.max(config.vocabSize(), ctx.vocabSize()))
            throw new IllegalArgumentException("model.document_boundary " + config.documentBoundary() + " is not a token id (vocabulary " + ctx.vocabSize() + ")");
        this.config = config;
        this.vocab = config.vocabSize() == 0 ? ctx.vocabSize() : config.vocabSize();
        this.windows = new Windows(config);
        int c = config.nEmbd(), layers = config.nLayer();
        RotaryTable rotary = switch (config.rope()) {
            case NONE -> null;
            case STANDARD -> RotaryTable.standard(ctx.backend(), config.headDim(), config.blockSize(), config.ropeBase());
            case HALF_TRUNCATED -> RotaryTable.halfTruncated(ctx.backend(), config.headDim(), config.blockSize(), config.ropeBase());
        };
        Parts p = new Parts(config, ctx.backend(), variant, rotary, ctx.initRng(), ctx.dropoutRng());
        this.parts = p;
        embed = child("embed", embedding.create(new EmbeddingContext(p.backend(), vocab, c, p.embedding(), p.initRng(), ctx.tokenizer())));
        wpe = rotary == null ? child("wpe", new Embedding(p.backend(), config.blockSize(), c, p.embedding())) : null;
        drop = child("drop", new Dropout(config.dropout(), p.dropoutRng()));
        embedNorm = config.embedNorm() ? child("embed_norm", Norms.create(p)) : null;
        valueEmbeds = child("value_embeds", new LayerList<>());
        for (int i = 0; i < config.valueEmbeds(); i++) valueEmbeds.add(new Embedding(p.backend(), vocab, c, p.embedding()));
        blocks = child("blocks", new LayerList<>());
        for (int i = 0; i < layers; i++) blocks.add(new ModernBlock(p, config.valueEmbeds() > 0));
        skipWeights = config.unetSkips() && layers >= 2 ? parameter("skip_weights", Init.ones().create(p.backend(), layers / 2)) : null;
        lnF = child("ln_f", Norms.create(p));
        lmHead = config.untiedHead() ? child("lm_head", new Linear(p.backend(), c, vocab, false, Init.zeros())) : null;
        windowStep = windows.grows() ? buffer("window_step", TensorScope.outside(() -> Tensor.zeros(p.backend(), 1))) : null;
    }

    public ModernGptConfig config() {
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
        return softcap(rawLogits(ids));
    }

    /**
     * The softcap fused into the cross-entropy (the capped (B, T, V) logits are never written), and for a large
     * vocabulary the head too (then not even the raw logits are).
     */
    @Override
    public Tensor loss(Tensor ids, Tensor targets) {
        return F.linearCrossEntropy(hidden(ids), headWeight(), targets, -1, config.logitSoftcap());
    }

    /** lm_head(norm(trunk(ids))), before the softcap. */
    private Tensor rawLogits(Tensor ids) {
        return rawHead(hidden(ids));
    }

    /** norm(trunk(ids)): what the LM head reads. */
    private Tensor hidden(Tensor ids) {
        int t = ids.dim(1);
        if (t > config.blockSize())
            throw new IllegalArgumentException("cannot forward a sequence of " + t + " tokens: block_size is only " + config.blockSize());
        long step = advanceStep();
        return trunk(ids, null, null, 0, step, documents(ids, 0, null));
    }

    /** The window schedule's step: training forward passes so far; counts this one when it is a training pass. */
    private long advanceStep() {
        if (windowStep == null) return 0;
        long step = (long) windowStep.item();
        if (isTraining() && GradMode.enabled()) windowStep.set(new float[] {step + 1});
        return step;
    }

    long windowStep() {
        return windowStep == null ? 0 : (long) windowStep.item();
    }

    /** The document starts (B, T) of ids at positions offset…, or null without document masks. */
    Tensor documents(Tensor ids, int offset, int[] carried) {
        return config.documentBoundary() < 0 ? null : F.documentStarts(ids, config.documentBoundary(), offset, carried);
    }

    /**
     * The blocks over ids (B, T) at absolute positions [offset, offset + T), then the final norm; with caches (one per
     * block) the keys and values of these positions are appended and attention covers every cached one.
     */
    Tensor trunk(Tensor ids, Tensor context, KvCache[] caches, int offset, long step, Tensor docs) {
        int t = ids.dim(1), layers = config.nLayer();
        Tensor x = embed.forward(ids, context);
        if (wpe != null) x = x.add(wpe.forward(positions(offset, t)));
        x = drop.forward(x);
        if (embedNorm != null) x = Norms.apply(embedNorm, x);
        Tensor x0 = x;
        Tensor[] ve = valueEmbeddings(ids);
        int skips = skipWeights == null ? 0 : skipWeights.dim(0);
        Deque<Tensor> encoderOutputs = new ArrayDeque<>();
        for (int i = 0; i < layers; i++) {
            if (i >= layers - skips) {
                int j = i - (layers - skips);
                x = x.add(encoderOutputs.pop().mul(skipWeights.slice(0, j, j + 1)));
            }
            x = blocks.get(i).forward(x, x0, ve[i], caches == null ? null : caches[i], offset, windows.window(i, step), docs);
            if (i < skips) encoderOutputs.push(x);
        }
        return Norms.apply(lnF, x);
    }

    /** Each layer's value embedding: tables 0…k−1 for the first k layers and again for the last k, none between. */
    private Tensor[] valueEmbeddings(Tensor ids) {
        int layers = config.nLayer(), k = config.valueEmbeds();
        Tensor[] ve = new Tensor[layers];
        for (int j = 0; j < k; j++) {
            Tensor e = valueEmbeds.get(j).forward(ids);
            ve[j] = e;
            ve[layers - k + j] = e;
        }
        return ve;
    }

    /** Logits from the final hidden states: the untied head or the token embedding, then the softcap. */
    Tensor head(Tensor x) {
        return softcap(rawHead(x));
    }

    private Tensor rawHead(Tensor x) {
        return F.linear(x, headWeight(), null);
    }

    private Tensor headWeight() {
        return lmHead != null ? lmHead.weight() : embed.tokenTable();
    }

    private Tensor softcap(Tensor z) {
        LogitSoftcap cap = config.logitSoftcap();
        return cap == null ? z : F.softcap(z, cap);
    }

    /** Position ids {@code [from, from + n)} as a (n) int tensor. */
    Tensor positions(int from, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = from + i;
        return Tensor.ofInts(parts.backend(), p, n);
    }

    /** Like nanoGPT's {@code get_num_params()}: learned position embeddings are not counted. */
    @Override
    public long reportedParameterCount() {
        return parameterCount() - (wpe == null ? 0 : wpe.weight().size());
    }

    /** 6N plus the attention scores and weighted sums, 12·L·C·T per token (nanoGPT's estimate; windows not discounted). */
    @Override
    public double trainingFlopsPerToken(int seqLen) {
        return 6.0 * reportedParameterCount() + 12.0 * config.nLayer() * config.nEmbd() * seqLen;
    }

    @Override
    public Decoder decoder(int batch) {
        return TensorScope.outside(() -> new ModernDecoder(this, batch));
    }
}
