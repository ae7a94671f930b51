package dev.nanolab.models.embedding;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.embedding.EmbeddingContext;
import dev.nanolab.api.embedding.TokenEmbedding;
import dev.nanolab.api.nn.Embedding;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;
import java.util.List;

/**
 * {@code mot}, the mixture of tokenizers: each token's embedding also reads the bytes it and the k tokens before it
 * spell (from the tokenizer's own vocabulary: {@link TokenBytes}).
 *
 * <pre>
 *   bytes   = spell(ids)                                   (B, T, K) byte ids, 0 = padding
 *   units   = byte_embed(bytes) ⊙ slot_scale               (B, T, K, D), summed in groups of `pool` → (B, T·U, D)
 *   units   = units + byte_attn(units)                     optional, causal window over units
 *   keys_t  = units of tokens t−k … t                      (k+1)·U per token; zero rows before the sequence
 *   x       = up(attention(q(tok_t), keys_t))              one query per token, cross-attention over its keys
 *   x0      = rms_norm(x [+ λ·tok])                        tok = weight[ids], the token table
 * </pre>
 *
 * A position reads the ids of {@link #contextTokens()} positions before it, never later ones; a decoder passes them as
 * {@code context}. Documents are not masked here (a token may read bytes of the previous document's last tokens).
 */
public final class MixtureOfTokenizers extends TokenEmbedding {
    static final float EPS = 1e-6f;

    private final MotConfig config;
    private final TokenBytes spelling;
    private final int dim;
    private final Backend backend;
    private final Tensor weight;
    private final Embedding byteEmbed;
    private final Tensor slotScale;
    private final ByteSelfAttention byteAttn;
    private final Linear q, k, v, up;
    private final Tensor lambda;

    public MixtureOfTokenizers(MotConfig config, EmbeddingContext ctx) {
        if (ctx.tokenizer() == null)
            throw new IllegalArgumentException("model.embedding: mot reads each token's bytes from the run's tokenizer, and none was given");
        this.config = config;
        this.backend = ctx.backend();
        this.dim = config.charDim() == 0 ? ctx.width() : config.charDim();
        if (dim % config.heads() != 0)
            throw new IllegalArgumentException("model.embedding.char_dim " + dim + " must be divisible by heads " + config.heads());
        this.spelling = TokenBytes.of(ctx.tokenizer(), ctx.vocabSize(), config.charsPerToken());
        int c = ctx.width();
        weight = parameter("weight", ctx.tokenInit().create(backend, ctx.vocabSize(), c));
        byteEmbed = child("byte_embed", new Embedding(backend, TokenBytes.ALPHABET, dim, ctx.tokenInit()));
        slotScale = parameter("slot_scale", Init.ones().create(backend, config.charsPerToken(), dim));
        byteAttn = config.selfAttentionWindow() > 0
                ? child("byte_attn", new ByteSelfAttention(backend, dim, config.heads(), config.selfAttentionWindow(), ctx.initRng()))
                : null;
        q = child("q", new Linear(backend, c, dim, false, Init.normal(ctx.initRng(), (float) (0.5 / Math.sqrt(c)))));
        k = child("k", new Linear(backend, dim, dim, false, Init.normal(ctx.initRng(), (float) (0.5 / Math.sqrt(dim)))));
        v = child("v", new Linear(backend, dim, dim, false, Init.normal(ctx.initRng(), (float) (0.5 / Math.sqrt(dim)))));
        up = child("up", new Linear(backend, dim, c, false, Init.normal(ctx.initRng(), (float) (0.5 / Math.sqrt(dim)))));
        lambda = config.residual() ? parameter("lambda", Init.ones().create(backend, 1)) : null;
    }

    @Override
    public int contextTokens() {
        int u = config.unitsPerToken(), w = config.selfAttentionWindow();
        return config.previousTokens() + (w > 0 ? (w - 1 + u - 1) / u : 0);
    }

    @Override
    public Tensor tokenTable() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor ids, Tensor context) {
        int b = ids.dim(0), t = ids.dim(1), m = context == null ? 0 : context.dim(1), full = m + t;
        int kk = config.charsPerToken(), u = config.unitsPerToken(), span = (config.previousTokens() + 1) * u;
        Tensor tok = F.embedding(ids, weight);
        // The units of every token of context + ids, (B, full·U, D).
        Tensor e = byteEmbed.forward(Tensor.ofInts(backend, spelling.spell(sequence(ids, context)), b, full, kk)).mul(slotScale);
        if (config.pool() > 1) e = e.view(Shape.of(b, full, u, config.pool(), dim)).sum(3, false);
        Tensor units = e.reshape(b, full * u, dim);
        if (byteAttn != null) units = units.add(byteAttn.forward(units));
        // Each new token's keys: the units of tokens t−k … t; positions before the sequence read a zero row.
        int rows = b * full * u;
        Tensor table = Tensor.concat(0, List.of(units.reshape(rows, dim), Tensor.zeros(backend, 1, dim)));
        Tensor keys = F.embedding(Tensor.ofInts(backend, gather(b, t, m, u, span), b * t, span), table);
        Tensor query = q.forward(tok).reshape(b * t, 1, dim);
        Tensor att = F.attention(query, k.forward(keys), v.forward(keys), config.heads(), F.AttentionOptions.SOFTMAX).out();
        Tensor x = up.forward(att.reshape(b, t, dim));
        if (lambda != null) x = x.add(tok.mul(lambda));
        return emit(F.rmsNorm(x, null, EPS));
    }

    /** The last gather, reused while the shape stays (it depends on nothing else): a training step's is always the same. */
    private int[] lastGather;
    private long lastShape = -1;

    /**
     * Row indices into the (B·(m+T)·U + 1)-row unit table of each new token's keys, the units of tokens t−k … t; positions
     * before the sequence read the last, zero row.
     */
    private int[] gather(int b, int t, int m, int u, int span) {
        long shape = (((long) b * 65_536 + t) * 65_536 + m);
        if (shape == lastShape) return lastGather;
        int full = m + t, rows = b * full * u;
        int[] g = new int[b * t * span];
        for (int r = 0; r < b; r++)
            for (int i = 0; i < t; i++) {
                int first = (m + i + 1) * u - span; // the first unit this token reads, in the row's full sequence
                for (int j = 0; j < span; j++) {
                    int p = first + j;
                    g[(r * t + i) * span + j] = p < 0 ? rows : r * full * u + p;
                }
            }
        lastGather = g;
        lastShape = shape;
        return g;
    }

    /** context + ids, (B, m + T) row-major. */
    private static int[] sequence(Tensor ids, Tensor context) {
        int[] now = ids.toIntArray();
        if (context == null || context.dim(1) == 0) return now;
        int[] before = context.toIntArray();
        int b = ids.dim(0), t = ids.dim(1), m = context.dim(1);
        int[] all = new int[b * (m + t)];
        for (int r = 0; r < b; r++) {
            System.arraycopy(before, r * m, all, r * (m + t), m);
            System.arraycopy(now, r * t, all, r * (m + t) + m, t);
        }
        return all;
    }
}
