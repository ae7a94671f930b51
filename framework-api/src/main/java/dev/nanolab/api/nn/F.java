package dev.nanolab.api.nn;

import static dev.nanolab.api.backend.GemmOperand.of;

import dev.nanolab.api.backend.LstmCellGradients;
import dev.nanolab.api.backend.LayerGradients;
import dev.nanolab.api.backend.ConvShape;
import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.AttentionGradients;
import dev.nanolab.api.backend.AttentionOperands;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.BinaryOp;
import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.backend.Rotary;
import dev.nanolab.api.backend.RotaryShape;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.UnaryOp;
import dev.nanolab.api.backend.ext.LinearCrossEntropyKernels;
import dev.nanolab.api.backend.ext.SoftcappedLossKernels;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.ShapeException;
import dev.nanolab.api.tensor.Tensor;

/**
 * The neural-network functions, each a fused backend kernel with its backward (the {@code torch.nn.functional} of
 * nanolab). Activations are laid out with the feature axis last: (B, T, C).
 */
public final class F {
    private F() {}

    // ------------------------------------------------------------------ linear and embedding

    /**
     * {@code y = x·Wᵀ + b} over the last axis of x, with W stored (out, in) as in PyTorch and nanoGPT. The bias may be
     * null.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        check("linear", x, weight, bias);
        int in = x.dim(-1);
        if (weight.rank() != 2 || weight.dim(1) != in)
            throw new ShapeException("linear", "input " + x.shape() + " does not fit weight " + weight.shape() + " (out, in)");
        int out = weight.dim(0);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != out))
            throw new ShapeException("linear", "bias " + bias.shape() + " does not fit weight " + weight.shape());
        int rows = (int) (x.size() / in);
        Backend be = x.backend();
        Shape outShape = x.shape().with(-1, out);
        Tensor y = Tensor.empty(be, outShape);
        if (bias != null) {
            // Start from the bias broadcast over rows, then accumulate the product onto it: no separate add pass.
            be.pointwise().copy(bias.storage(), bias.offset(), new int[] {0, 1}, y.storage(), y.offset(),
                    new int[] {out, 1}, new int[] {rows, out}, false);
        }
        be.gemm().matmul(1, rows, out, in, 1f, x.matrix(), weight.matrix().t(), y.matrix(), bias != null);
        return y.recordBackward(g -> {
            Tensor.GradSink dx = x.gradSink();
            if (dx != null)
                be.gemm().matmul(1, rows, in, out, 1f, g.matrix(), weight.matrix(), dx.grad().matrix(), dx.accumulate());
            Tensor.GradSink dw = weight.gradSink();
            if (dw != null)
                be.gemm().matmul(1, out, in, rows, 1f, g.matrix().t(), x.matrix(), dw.grad().matrix(), dw.accumulate());
            Tensor.GradSink db = bias == null ? null : bias.gradSink();
            if (db != null)
                be.pointwise().reduce(dev.nanolab.api.backend.ReduceOp.SUM, g.storage(), g.offset(),
                        db.grad().storage(), db.grad().offset(), 1, rows, out, db.accumulate());
        }, x, weight, bias);
    }

    /** Rows of {@code table} (V, C) picked by int32 {@code ids} of any shape; the result has shape ids + (C). */
    public static Tensor embedding(Tensor ids, Tensor table) {
        checkWhole("embedding", ids, table);
        if (ids.dtype() != DType.I32) throw new IllegalArgumentException("embedding: ids must be int32, got " + ids.describe());
        if (table.rank() != 2) throw new ShapeException("embedding", "table must be (vocab, dim), got " + table.shape());
        int n = (int) ids.size(), vocab = table.dim(0), dim = table.dim(1);
        int[] outDims = java.util.Arrays.copyOf(ids.shape().dims(), ids.rank() + 1);
        outDims[ids.rank()] = dim;
        Backend be = table.backend();
        Tensor y = Tensor.empty(be, Shape.of(outDims));
        be.embeddings().lookup(ids.storage(), table.storage(), y.storage(), n, dim, vocab);
        return y.recordBackward(g -> {
            Tensor.GradSink dt = table.gradSink();
            if (dt != null)
                be.embeddings().lookupBackward(ids.storage(), g.storage(), dt.grad().storage(), n, dim, vocab,
                        dt.accumulate());
        }, table);
    }

    // ------------------------------------------------------------------ normalisation

    /** Layer norm over the last axis; {@code weight} (C) required, {@code bias} (C) may be null. */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        checkWhole("layerNorm", x, weight, bias);
        int dim = x.dim(-1), rows = (int) (x.size() / dim);
        checkVector("layerNorm", weight, dim, x);
        if (bias != null) checkVector("layerNorm", bias, dim, x);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.shape());
        Tensor mean = Tensor.empty(be, Shape.of(rows)), rstd = Tensor.empty(be, Shape.of(rows));
        be.norms().layerNorm(x.storage(), weight.storage(), bias == null ? null : bias.storage(), y.storage(),
                mean.storage(), rstd.storage(), rows, dim, eps);
        return y.recordBackward(g -> {
            Tensor.GradSink dx = x.gradSink(), dw = weight.gradSink(), db = bias == null ? null : bias.gradSink();
            // One kernel writes all three; parameters that need no gradient get a scratch buffer.
            boolean accParams = (dw != null && dw.accumulate()) || (db != null && db.accumulate());
            Tensor dwT = dw != null ? dw.grad() : Tensor.empty(be, Shape.of(dim));
            Tensor dbT = bias == null ? null : db != null ? db.grad() : Tensor.empty(be, Shape.of(dim));
            if (dw != null && db != null && dw.accumulate() != db.accumulate())
                throw new IllegalStateException("layerNorm: weight and bias gradients out of step");
            Tensor dxT = dx != null ? dx.grad() : Tensor.empty(be, x.shape());
            LayerGradients grads = new LayerGradients(dxT.storage(), dwT.storage(), dbT == null ? null : dbT.storage(),
                    dx != null && dx.accumulate(), accParams);
            be.norms().layerNormBackward(g.storage(), x.storage(), weight.storage(), mean.storage(), rstd.storage(), grads,
                    rows, dim);
        }, x, weight, bias);
    }

    /** RMS norm over the last axis; {@code weight} (C) may be null (no learned scale). */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        checkWhole("rmsNorm", x, weight);
        int dim = x.dim(-1), rows = (int) (x.size() / dim);
        if (weight != null) checkVector("rmsNorm", weight, dim, x);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.shape());
        Tensor rstd = Tensor.empty(be, Shape.of(rows));
        be.norms().rmsNorm(x.storage(), weight == null ? null : weight.storage(), y.storage(), rstd.storage(), rows,
                dim, eps);
        return y.recordBackward(g -> {
            Tensor.GradSink dx = x.gradSink(), dw = weight == null ? null : weight.gradSink();
            Tensor dwT = weight == null ? null : dw != null ? dw.grad() : Tensor.empty(be, Shape.of(dim));
            Tensor dxT = dx != null ? dx.grad() : Tensor.empty(be, x.shape());
            LayerGradients grads = new LayerGradients(dxT.storage(), dwT == null ? null : dwT.storage(), null,
                    dx != null && dx.accumulate(), dw != null && dw.accumulate());
            be.norms().rmsNormBackward(g.storage(), x.storage(), weight == null ? null : weight.storage(), rstd.storage(),
                    grads, rows, dim);
        }, x, weight);
    }

    // ------------------------------------------------------------------ activations

    /** GELU, GPT-2's tanh approximation. */
    public static Tensor gelu(Tensor x) {
        return unary(x, UnaryOp.GELU_TANH);
    }

    /** relu(x)². */
    public static Tensor reluSquared(Tensor x) {
        return unary(x, UnaryOp.RELU_SQUARED);
    }

    private static Tensor unary(Tensor x, UnaryOp op) {
        Backend be = x.backend();
        long n = x.size();
        Tensor y = Tensor.empty(be, x.shape());
        be.pointwise().unary(op, 0, 0, x.storage(), x.offset(), y.storage(), y.offset(), n);
        return y.recordBackward(g -> {
            Tensor.GradSink s = x.gradSink();
            if (s != null)
                be.pointwise().unaryBackward(op, 0, 0, x.span(), y.span(), g.span(), s.grad().span(), n,
                        s.accumulate());
        }, x);
    }

    // ------------------------------------------------------------------ softmax

    /** Softmax over the last axis. */
    public static Tensor softmax(Tensor x) {
        return softmax(x, null, Float.NEGATIVE_INFINITY);
    }

    /**
     * Softmax over the last axis with an extra term {@code exp(extraLogit)} in the denominator ({@code -∞}: plain
     * softmax; 0: softmax1) and an optional causal mask (masked entries give 0).
     */
    public static Tensor softmax(Tensor x, CausalMask mask, float extraLogit) {
        checkWhole("softmax", x);
        int cols = x.dim(-1), rows = (int) (x.size() / cols);
        if (mask != null) checkMask("softmax", x, mask);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.shape());
        be.softmax().softmax(x.storage(), y.storage(), rows, cols, mask, extraLogit);
        return y.recordBackward(g -> {
            Tensor.GradSink s = x.gradSink();
            if (s != null) be.softmax().softmaxBackward(y.storage(), g.storage(), s.grad().storage(), rows, cols, s.accumulate());
        }, x);
    }

    /** {@code x} where the causal mask allows and {@code value} elsewhere, e.g. -∞ before a custom normaliser. */
    public static Tensor maskFill(Tensor x, CausalMask mask, float value) {
        checkWhole("maskFill", x);
        checkMask("maskFill", x, mask);
        int cols = x.dim(-1), rows = (int) (x.size() / cols);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.shape());
        be.softmax().maskFill(x.storage(), y.storage(), rows, cols, mask, value);
        return y.recordBackward(g -> {
            Tensor.GradSink s = x.gradSink();
            if (s != null) be.softmax().maskFillBackward(g.storage(), s.grad().storage(), rows, cols, mask, s.accumulate());
        }, x);
    }

    private static void checkMask(String op, Tensor x, CausalMask mask) {
        if (x.dim(-1) != mask.keys() || x.rank() < 2 || x.dim(-2) != mask.queries())
            throw new ShapeException(op, "scores " + x.shape() + " do not fit a mask of " + mask.queries() + " queries × "
                    + mask.keys() + " keys");
    }

    // ------------------------------------------------------------------ loss

    /**
     * Mean cross-entropy of {@code logits} (..., V) against int32 {@code targets} (...), skipping targets equal to
     * {@code ignoreIndex}; a fused log-softmax. Returns a one-element tensor.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, int ignoreIndex) {
        int vocab = logits.dim(-1), rows = crossEntropyRows(logits, targets);
        Backend be = logits.backend();
        Tensor lse = Tensor.empty(be, Shape.of(rows));
        Tensor loss = Tensor.empty(be, Shape.of(1));
        be.losses().crossEntropy(logits.storage(), targets.storage(), lse.storage(), loss.storage(), rows, vocab, ignoreIndex);
        return loss.recordBackward(g -> {
            Tensor.GradSink s = logits.gradSink();
            if (s != null)
                be.losses().crossEntropyBackward(logits.storage(), targets.storage(), lse.storage(), g.storage(),
                        s.grad().storage(), rows, vocab, ignoreIndex, s.accumulate());
        }, logits);
    }

    /**
     * Mean cross-entropy of softcapped logits, {@code crossEntropy(softcap(logits), targets)}, with {@code logits} the
     * raw z. Fused where the backend offers {@link SoftcappedLossKernels} (the capped logits are never written);
     * composed from the unary ops otherwise. {@code softcap} null is plain {@link #crossEntropy(Tensor, Tensor, int)}.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, LogitSoftcap softcap) {
        if (softcap == null) return crossEntropy(logits, targets, ignoreIndex);
        Backend be = logits.backend();
        var fused = be.extension(SoftcappedLossKernels.class);
        if (fused.isEmpty()) return crossEntropy(softcap(logits, softcap), targets, ignoreIndex);
        int vocab = logits.dim(-1), rows = crossEntropyRows(logits, targets);
        SoftcappedLossKernels k = fused.get();
        Tensor lse = Tensor.empty(be, Shape.of(rows));
        Tensor loss = Tensor.empty(be, Shape.of(1));
        k.crossEntropy(logits.storage(), targets.storage(), lse.storage(), loss.storage(), rows, vocab, ignoreIndex, softcap);
        return loss.recordBackward(g -> {
            Tensor.GradSink s = logits.gradSink();
            if (s != null)
                k.crossEntropyBackward(logits.storage(), targets.storage(), lse.storage(), g.storage(), s.grad().storage(),
                        rows, vocab, ignoreIndex, softcap, s.accumulate());
        }, logits);
    }

    /**
     * The LM head and its loss, {@code crossEntropy(linear(x, weight, null), targets, ignoreIndex, softcap)}, with
     * x (..., C), weight (V, C) and targets (...). Where the backend offers {@link LinearCrossEntropyKernels} and the
     * logits would span more than one of its row blocks, they are computed a block at a time and never written whole
     * (the gradients come from the forward and are scaled by the incoming gradient in the backward); otherwise the
     * composition runs.
     */
    public static Tensor linearCrossEntropy(Tensor x, Tensor weight, Tensor targets, int ignoreIndex, LogitSoftcap softcap) {
        checkWhole("linearCrossEntropy", x, weight, targets);
        int channels = x.dim(-1), rows = (int) (x.size() / channels);
        if (weight.rank() != 2 || weight.dim(1) != channels)
            throw new ShapeException("linearCrossEntropy", "input " + x.shape() + " does not fit weight " + weight.shape() + " (vocab, in)");
        int vocab = weight.dim(0);
        Backend be = x.backend();
        var fused = be.extension(LinearCrossEntropyKernels.class);
        if (fused.isEmpty() || rows <= fused.get().blockRows(channels, vocab))
            return crossEntropy(linear(x, weight, null), targets, ignoreIndex, softcap);
        checkTargets("linearCrossEntropy", "input", x, rows, targets);
        boolean grads = GradMode.enabled();
        Tensor dx = grads && x.requiresGrad() ? Tensor.empty(be, x.shape()) : null;
        Tensor dw = grads && weight.requiresGrad() ? Tensor.empty(be, weight.shape()) : null;
        Tensor loss = Tensor.empty(be, Shape.of(1));
        fused.get().lossAndGradients(x.storage(), weight.storage(), targets.storage(), loss.storage(),
                dx == null ? null : dx.storage(), dw == null ? null : dw.storage(),
                new LinearCrossEntropyKernels.Head(rows, channels, vocab, ignoreIndex, softcap));
        return loss.recordBackward(g -> {
            addScaled(be, dx, g, x.gradSink());
            addScaled(be, dw, g, weight.gradSink());
        }, x, weight);
    }

    /** {@code sink (+)= g[0] · grad} for a gradient computed ahead of its backward; grad is this op's own buffer. */
    private static void addScaled(Backend be, Tensor grad, Tensor g, Tensor.GradSink sink) {
        if (grad == null || sink == null) return;
        int cols = grad.dim(-1);
        int[] shape = {(int) (grad.size() / cols), cols}, contiguous = {cols, 1}, broadcast = {0, 0};
        Tensor out = sink.accumulate() ? grad : sink.grad();
        be.pointwise().binary(BinaryOp.MUL, grad.storage(), grad.offset(), contiguous, g.storage(),
                g.offset(), broadcast, out.storage(), out.offset(), shape);
        if (sink.accumulate())
            be.pointwise().copy(grad.storage(), grad.offset(), contiguous, sink.grad().storage(), sink.grad().offset(),
                    contiguous, shape, true);
    }

    /** The rows of a cross-entropy's logits, after checking the targets fit them. */
    private static int crossEntropyRows(Tensor logits, Tensor targets) {
        checkWhole("crossEntropy", logits, targets);
        int rows = (int) (logits.size() / logits.dim(-1));
        checkTargets("crossEntropy", "logits", logits, rows, targets);
        return rows;
    }

    /** int32 targets, one per row of {@code input}. */
    private static void checkTargets(String op, String inputName, Tensor input, int rows, Tensor targets) {
        if (targets.dtype() != DType.I32) throw new IllegalArgumentException(op + ": targets must be int32, got " + targets.describe());
        if (targets.size() != rows)
            throw new ShapeException(op, inputName + " " + input.shape() + " and targets " + targets.shape() + " do not match");
    }

    /** The softcap itself, {@code softcap(z)} elementwise, composed from unary ops (for sampling and the generic path). */
    public static Tensor softcap(Tensor z, LogitSoftcap softcap) {
        float cap = softcap.cap();
        return switch (softcap.kind()) {
            case TANH -> z.mul(1f / cap).tanh().mul(cap);
            case SIGMOID -> z.mul(4f / cap).sigmoid().mul(cap);
        };
    }

    // ------------------------------------------------------------------ dropout

    /** Inverted dropout with probability p; the identity when p is 0. {@code seed} fixes the mask. */
    public static Tensor dropout(Tensor x, float p, long seed) {
        if (p == 0f) return x;
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        checkWhole("dropout", x);
        Backend be = x.backend();
        long n = x.size();
        Tensor y = Tensor.empty(be, x.shape());
        be.dropout().dropout(x.storage(), y.storage(), n, p, seed);
        return y.recordBackward(g -> {
            Tensor.GradSink s = x.gradSink();
            if (s != null) be.dropout().dropoutBackward(g.storage(), s.grad().storage(), n, p, seed, s.accumulate());
        }, x);
    }

    // ------------------------------------------------------------------ attention

    /**
     * Options of the fused attention: see {@link AttentionArgs} and {@link CausalMask}.
     *
     * @param window         sliding-window width, 0 for none
     * @param kernel         the fused kernel that computes it: null for the backend's own {@link Attention}; a variant
     *                       with a kernel of its own (an optional backend extension, e.g. clipped softmax) passes that
     *                       kernel here and gets the same autograd wiring
     * @param documentStarts I32 (B, Tq): the first key position of each query's document, or null (see
     *                       {@link #documentStarts})
     * @param scale          multiplies q·k; NaN for 1/√D
     */
    public record AttentionOptions(int window, float extraLogit, Tensor sinkLogits, float dropout, long dropoutSeed,
                                   Attention kernel, Tensor documentStarts, float scale) {
        public static final AttentionOptions SOFTMAX = new AttentionOptions(0, Float.NEGATIVE_INFINITY, null, 0f, 0L);

        /** On the backend's own kernel, without documents, scores scaled by 1/√D. */
        public AttentionOptions(int window, float extraLogit, Tensor sinkLogits, float dropout, long dropoutSeed) {
            this(window, extraLogit, sinkLogits, dropout, dropoutSeed, null, null, Float.NaN);
        }

        public AttentionOptions withDropout(float p, long seed) {
            return new AttentionOptions(window, extraLogit, sinkLogits, p, seed, kernel, documentStarts, scale);
        }

        /** The same attention computed by {@code kernel}. */
        public AttentionOptions withKernel(Attention kernel) {
            return new AttentionOptions(window, extraLogit, sinkLogits, dropout, dropoutSeed, kernel, documentStarts, scale);
        }

        /** The same attention with a document mask: {@code starts} I32 (B, Tq) (see {@link #documentStarts}). */
        public AttentionOptions withDocuments(Tensor starts) {
            return new AttentionOptions(window, extraLogit, sinkLogits, dropout, dropoutSeed, kernel, starts, scale);
        }

        /** The same attention with q·k multiplied by {@code scale} (NaN: 1/√D). */
        public AttentionOptions withScale(float scale) {
            return new AttentionOptions(window, extraLogit, sinkLogits, dropout, dropoutSeed, kernel, documentStarts, scale);
        }
    }

    /**
     * Where each position's document starts, for a document-causal mask: I32 (B, T) holding, for position t of row b,
     * the last position p ≤ t with {@code ids[b, p] == boundary} (a boundary token opens its document, as modded-nanogpt
     * splits at BOS), else {@code carried[b]}: where the document in progress before this window began (0 for a fresh
     * sequence). Positions are absolute: {@code positionOffset + t} (a KV-cached decoder's new tokens).
     */
    public static Tensor documentStarts(Tensor ids, int boundary, int positionOffset, int[] carried) {
        if (ids.rank() != 2 || ids.dtype() != DType.I32) throw new ShapeException("documentStarts", "ids must be I32 (B, T), got " + ids.shape());
        int b = ids.dim(0), t = ids.dim(1);
        if (carried != null && carried.length != b) throw new ShapeException("documentStarts", carried.length + " carried starts for " + b + " rows");
        int[] id = ids.toIntArray(), starts = new int[b * t];
        for (int r = 0; r < b; r++) {
            int start = carried == null ? 0 : carried[r];
            for (int i = 0; i < t; i++) {
                if (id[r * t + i] == boundary) start = positionOffset + i;
                starts[r * t + i] = start;
            }
        }
        return Tensor.ofInts(ids.backend(), starts, b, t);
    }

    /** The attention output (B, T, C) and the per-row log-denominator (B, H, T) that probes read. */
    public record AttentionOutput(Tensor out, Tensor lse) {}

    /**
     * Causal self-attention from a packed projection {@code qkv} (B, T, 3C) holding q, k, v side by side, as nanoGPT's
     * {@code c_attn} produces it. Fused and tiled: the T×T weights are never stored.
     */
    public static AttentionOutput causalSelfAttention(Tensor qkv, int heads, AttentionOptions o) {
        check("attention", qkv);
        if (qkv.rank() != 3 || qkv.dim(2) % 3 != 0)
            throw new ShapeException("attention", "qkv must be (B, T, 3C), got " + qkv.shape());
        int b = qkv.dim(0), t = qkv.dim(1), c = qkv.dim(2) / 3;
        if (c % heads != 0) throw new ShapeException("attention", "C=" + c + " is not divisible by " + heads + " heads");
        int row = 3 * c;
        return attention(qkv.rows(row), new RowView(qkv.storage(), qkv.offset() + c, row),
                new RowView(qkv.storage(), qkv.offset() + 2L * c, row), b, heads, t, t, c / heads, o, new Tensor[] {qkv});
    }

    /**
     * Attention of queries (B, Tq, C) over keys and values (B, Tk, C), the queries being positions
     * {@code [Tk − Tq, Tk)}: what a KV-cached decoder step does.
     */
    public static AttentionOutput attention(Tensor q, Tensor k, Tensor v, int heads, AttentionOptions o) {
        check("attention", q, k, v);
        if (q.rank() != 3 || k.rank() != 3 || !k.shape().equals(v.shape()) || q.dim(0) != k.dim(0) || q.dim(2) != k.dim(2))
            throw new ShapeException("attention", "q " + q.shape() + ", k " + k.shape() + ", v " + v.shape() + " do not fit");
        int b = q.dim(0), tq = q.dim(1), tk = k.dim(1), c = q.dim(2);
        if (c % heads != 0) throw new ShapeException("attention", "C=" + c + " is not divisible by " + heads + " heads");
        if (tq > tk) throw new ShapeException("attention", "more queries (" + tq + ") than keys (" + tk + ")");
        return attention(q.rows(c), k.rows(c), v.rows(c), b, heads, tq, tk, c / heads, o, new Tensor[] {q, k, v});
    }

    /** q, k, v are row views into {@code inputs}: one packed (B, T, 3C) tensor, or three (B, T, C) tensors. */
    private static AttentionOutput attention(RowView q, RowView k, RowView v, int b, int heads, int tq, int tk, int d,
                                             AttentionOptions o, Tensor[] inputs) {
        Backend be = inputs[0].backend();
        Tensor sinks = o.sinkLogits();
        if (sinks != null) {
            check("attention", inputs[0], sinks);
            if (sinks.size() != heads)
                throw new ShapeException("attention", "sink logits " + sinks.shape() + " for " + heads + " heads");
        }
        // Queries are the last tq of the tk positions: a KV-cached decoder step attends from the newest ones.
        CausalMask mask = new CausalMask(tq, tk, tk - tq, o.window());
        Tensor docs = o.documentStarts();
        if (docs != null) {
            checkWhole("attention", docs);
            if (docs.dtype() != DType.I32 || docs.rank() != 2 || docs.dim(0) != b || docs.dim(1) != tq)
                throw new ShapeException("attention", "document starts " + docs.shape() + " must be I32 (" + b + ", " + tq + ")");
            mask = mask.withDocuments(docs.storage(), heads);
        }
        float scale = Float.isNaN(o.scale()) ? (float) (1.0 / Math.sqrt(d)) : o.scale();
        AttentionArgs args = new AttentionArgs(b, heads, tq, tk, d, mask, scale, o.extraLogit(), o.dropout(), o.dropoutSeed());
        Attention kernel = o.kernel() != null ? o.kernel() : be.attention();
        int c = heads * d;
        Tensor out = Tensor.empty(be, Shape.of(b, tq, c));
        Tensor lse = Tensor.empty(be, Shape.of(b, heads, tq));
        AttentionOperands x = new AttentionOperands(q, k, v, out.rows(c), lse.storage(), sinks == null ? null : sinks.storage());
        kernel.forward(args, x);
        Tensor[] all = java.util.Arrays.copyOf(inputs, inputs.length + 1);
        all[inputs.length] = sinks;
        out.recordBackward(g -> {
            Tensor.GradSink ds = sinks == null ? null : sinks.gradSink();
            // The kernel adds to the sink gradient, so a first writer starts it from zero.
            if (ds != null && !ds.accumulate()) be.memory().fill(ds.grad().storage(), ds.grad().offset(), heads, 0f);
            Storage dSinks = ds == null ? null : ds.grad().storage();
            if (inputs.length == 1) {
                // Packed qkv: one gradient buffer of the same layout receives dq, dk and dv.
                Tensor.GradSink s = inputs[0].gradSink();
                if (s == null && ds == null) return;
                Tensor dqkv = s != null ? s.grad() : Tensor.empty(be, inputs[0].shape());
                long base = dqkv.offset();
                int row = q.rowStride();
                kernel.backward(args, x, g.rows(c), new AttentionGradients(dqkv.rows(row),
                        new RowView(dqkv.storage(), base + c, row), new RowView(dqkv.storage(), base + 2L * c, row),
                        dSinks, s != null && s.accumulate()));
            } else {
                Tensor.GradSink sq = inputs[0].gradSink(), sk = inputs[1].gradSink(), sv = inputs[2].gradSink();
                boolean acc = sq != null && sq.accumulate();
                if ((sk != null && sk.accumulate() != acc) || (sv != null && sv.accumulate() != acc))
                    throw new IllegalStateException("attention: q, k, v gradients out of step; use fresh tensors");
                Tensor dq = sq != null ? sq.grad() : Tensor.empty(be, inputs[0].shape());
                Tensor dk = sk != null ? sk.grad() : Tensor.empty(be, inputs[1].shape());
                Tensor dv = sv != null ? sv.grad() : Tensor.empty(be, inputs[2].shape());
                kernel.backward(args, x, g.rows(c), new AttentionGradients(dq.rows(c), dk.rows(c), dv.rows(c), dSinks, acc));
            }
        }, all);
        return new AttentionOutput(out, lse);
    }

    // ------------------------------------------------------------------ rotary position embedding

    /**
     * Rotary position embedding of x (B, T, H·D), heads side by side, at positions positionOffset + t: see
     * {@link Rotary} for the rotation and {@link RotaryTable} for the frequencies. The backward rotates the gradient
     * back.
     */
    public static Tensor rope(Tensor x, int heads, RotaryTable table, int positionOffset) {
        check("rope", x, table.cos());
        if (x.rank() != 3 || x.dim(2) != heads * table.headDim())
            throw new ShapeException("rope", "x " + x.shape() + " is not (B, T, " + heads + "·" + table.headDim() + ")");
        if (positionOffset + x.dim(1) > table.maxPositions())
            throw new ShapeException("rope", "positions up to " + (positionOffset + x.dim(1)) + " exceed the table's " + table.maxPositions());
        Backend be = x.backend();
        int c = x.dim(2);
        RotaryShape shape = new RotaryShape(x.dim(0), x.dim(1), heads, table.headDim(), positionOffset);
        Tensor y = Tensor.empty(be, x.shape());
        be.rotary().rotate(x.rows(c), y.rows(c), table.cos().storage(), table.sin().storage(), shape, false, false);
        return y.recordBackward(g -> {
            Tensor.GradSink s = x.gradSink();
            if (s != null)
                be.rotary().rotate(g.rows(c), s.grad().rows(c), table.cos().storage(), table.sin().storage(), shape, true,
                        s.accumulate());
        }, x);
    }

    // ------------------------------------------------------------------ sequence models

    /**
     * Dilated causal convolution, channels last: x (B, T, Cin), weight (Cout, Cin, K), bias (Cout) or null; output
     * (B, T, Cout), where output t sees inputs t, t − d, …, t − (K−1)·d (zeros before the start).
     */
    public static Tensor causalConv1d(Tensor x, Tensor weight, Tensor bias, int dilation) {
        checkWhole("causalConv1d", x, weight, bias);
        if (x.rank() != 3 || weight.rank() != 3 || weight.dim(1) != x.dim(2) || dilation < 1
                || (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0))))
            throw new ShapeException("causalConv1d", "input " + x.shape() + ", weight " + weight.shape()
                    + (bias == null ? "" : ", bias " + bias.shape()) + ", dilation " + dilation + " do not fit");
        int b = x.dim(0), t = x.dim(1), cin = x.dim(2), cout = weight.dim(0), k = weight.dim(2);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, Shape.of(b, t, cout));
        ConvShape shape = new ConvShape(b, t, cin, cout, k, dilation);
        be.sequences().causalConv1d(x.storage(), weight.storage(), bias == null ? null : bias.storage(), y.storage(), shape);
        return y.recordBackward(g -> {
            Tensor.GradSink dx = x.gradSink(), dw = weight.gradSink(), db = bias == null ? null : bias.gradSink();
            Tensor dxT = dx != null ? dx.grad() : Tensor.empty(be, x.shape());
            Tensor dwT = dw != null ? dw.grad() : Tensor.empty(be, weight.shape());
            Tensor dbT = bias == null ? null : db != null ? db.grad() : Tensor.empty(be, bias.shape());
            boolean accParams = (dw != null && dw.accumulate()) || (db != null && db.accumulate());
            LayerGradients grads = new LayerGradients(dxT.storage(), dwT.storage(), dbT == null ? null : dbT.storage(),
                    dx != null && dx.accumulate(), accParams);
            be.sequences().causalConv1dBackward(x.storage(), weight.storage(), g.storage(), shape, grads);
        }, x, weight, bias);
    }

    /** The new hidden and cell state of an LSTM step. */
    public record LstmState(Tensor h, Tensor c) {}

    /**
     * One LSTM cell from pre-activation gates (B, 4H), ordered input, forget, cell, output, and the previous cell
     * state (B, H).
     */
    public static LstmState lstmCell(Tensor gates, Tensor cPrev) {
        checkWhole("lstmCell", gates, cPrev);
        if (gates.rank() != 2 || cPrev.rank() != 2 || gates.dim(0) != cPrev.dim(0) || gates.dim(1) != 4 * cPrev.dim(1))
            throw new ShapeException("lstmCell", "gates " + gates.shape() + " and cell state " + cPrev.shape() + " do not fit (B, 4H) and (B, H)");
        int b = cPrev.dim(0), hidden = cPrev.dim(1);
        Backend be = gates.backend();
        Tensor c = Tensor.empty(be, cPrev.shape()), h = Tensor.empty(be, cPrev.shape());
        be.sequences().lstmCell(gates.storage(), cPrev.storage(), c.storage(), h.storage(), b, hidden);
        // h and c each carry a backward; the cell's Jacobian is linear in (dh, dc), so the two add up.
        h.recordBackward(g -> lstmBackward(be, gates, cPrev, c, g, null, b, hidden), gates, cPrev);
        c.recordBackward(g -> lstmBackward(be, gates, cPrev, c, null, g, b, hidden), gates, cPrev);
        return new LstmState(h, c);
    }

    private static void lstmBackward(Backend be, Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, int b, int hidden) {
        Tensor.GradSink dg = gates.gradSink(), dcp = cPrev.gradSink();
        Tensor dgT = dg != null ? dg.grad() : Tensor.empty(be, gates.shape());
        LstmCellGradients grads = new LstmCellGradients(dgT.storage(), dcp == null ? null : dcp.grad().storage(),
                dg != null && dg.accumulate(), dcp != null && dcp.accumulate());
        be.sequences().lstmCellBackward(gates.storage(), cPrev.storage(), c.storage(), dh == null ? null : dh.storage(),
                dc == null ? null : dc.storage(), grads, b, hidden);
    }

    // ------------------------------------------------------------------ checks

    private static void check(String op, Tensor first, Tensor... others) {
        for (Tensor t : others)
            if (t != null && t.backend() != first.backend())
                throw new IllegalArgumentException(op + ": tensors on different backends (" + first.describe() + " and "
                        + t.describe() + "); move one with to(backend)");
    }

    /** For kernels that take whole storages: every tensor must start at its storage's first element. */
    private static void checkWhole(String op, Tensor first, Tensor... others) {
        check(op, first, others);
        if (first.offset() != 0) throw new IllegalArgumentException(op + ": " + first.describe() + " is a view at an offset; copy it first");
        for (Tensor t : others)
            if (t != null && t.offset() != 0) throw new IllegalArgumentException(op + ": " + t.describe() + " is a view at an offset; copy it first");
    }

    private static void checkVector(String op, Tensor p, int dim, Tensor x) {
        if (p.rank() != 1 || p.dim(0) != dim)
            throw new ShapeException(op, "parameter " + p.shape() + " does not fit input " + x.shape());
    }
}
