package dev.nanolab.tornadovm;

import static dev.nanolab.api.backend.GemmOperand.of;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.backend.Span;
import dev.nanolab.api.backend.LstmCellGradients;
import dev.nanolab.api.backend.LayerGradients;
import dev.nanolab.api.backend.ConvShape;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.ext.ClippedSoftmaxKernels;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.backend.ext.SoftcappedLossKernels;
import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.backend.RotaryShape;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.AttentionGradients;
import dev.nanolab.api.backend.AttentionOperands;
import dev.nanolab.api.backend.BinaryOp;
import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.OptimizerKernels;
import dev.nanolab.api.backend.ReduceOp;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.UnaryOp;
import dev.nanolab.tornadovm.Pair.S;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every kernel of the TornadoVM backend against the CPU backend, on fresh random inputs each run: 1e-5 (relative to
 * max(|expected|, 1)) for elementwise and normalisation kernels, 1e-4 for matmul and attention. Outputs start
 * poisoned, so every element must be written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelsTest {
    static final double ELEMENTWISE = 1e-5, MATMUL = 1e-4;
    Pair p;

    @BeforeAll
    void open() {
        p = new Pair();
    }

    @AfterEach
    void release() {
        p.releaseAll();
    }

    @AfterAll
    void close() {
        System.out.println("worst relative errors (TornadoVM vs CPU):\n" + Pair.Errors.report() + p.tvm.stats());
        p.close();
    }

    // ------------------------------------------------------------------ memory

    @Test
    void memoryWritesReadsAndFillsAtOffsets() {
        int n = 300_000; // larger than one upload staging buffer
        S a = p.randn(n);
        p.same("write/read", a, 0);
        p.run((be, s) -> be.memory().fill(s.of(a), 1000, 5000, 3.5f));
        p.same("fill", a, 0);
        float[] part = new float[77];
        p.tvm.memory().read(a.t(), 1234, part, 0, 77);
        float[] want = new float[77];
        p.cpu.memory().read(a.c(), 1234, want, 0, 77);
        assertThat(part).containsExactly(want);
        int[] ids = new int[9000];
        for (int i = 0; i < ids.length; i++) ids[i] = p.rng.nextInt();
        S iv = p.ints(ids);
        p.sameInts("int write/read", iv);
        p.run((be, s) -> be.memory().fill(s.of(iv), 10, 100, 7f));
        p.sameInts("int fill", iv);
    }

    // ------------------------------------------------------------------ pointwise

    @Test
    void unaryForwardAndBackward() {
        int n = 5000;
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW;
            S x = positive ? p.uniform(n, 0.1f, 3f) : p.randn(n);
            float p0 = switch (op) {
                case POW -> 2.5f;
                case CLAMP -> -0.5f;
                case SCALE -> 1.7f;
                case ADD_SCALAR -> -0.3f;
                default -> 0f;
            };
            float p1 = op == UnaryOp.CLAMP ? 0.8f : 0f;
            S y = p.out(n);
            p.run((be, s) -> be.pointwise().unary(op, p0, p1, s.of(x), 0, s.of(y), 0, n));
            p.same("unary " + op, y, ELEMENTWISE);
            S dy = p.randn(n);
            for (boolean acc : new boolean[] {false, true}) {
                S dx = acc ? p.acc(n) : p.out(n);
                p.run((be, s) -> be.pointwise().unaryBackward(op, p0, p1, new Span(s.of(x), 0), new Span(s.of(y), 0), new Span(s.of(dy), 0), new Span(s.of(dx), 0), n, acc));
                p.same("unaryBackward " + op + (acc ? " acc" : ""), dx, ELEMENTWISE);
            }
        }
        // At offsets, in place.
        S x = p.randn(1000);
        p.run((be, s) -> be.pointwise().unary(UnaryOp.TANH, 0, 0, s.of(x), 100, s.of(x), 100, 500));
        p.same("unary in place at offset", x, ELEMENTWISE);
    }

    @Test
    void binaryWithBroadcasting() {
        int[] shape = {3, 5, 7, 4};
        int n = 3 * 5 * 7 * 4;
        for (BinaryOp op : BinaryOp.values()) {
            S a = p.randn(n);
            S b = op == BinaryOp.DIV ? p.uniform(5 * 4, 0.5f, 2f) : p.randn(5 * 4); // b is (5, 1, 4)
            int[] aSt = {140, 28, 4, 1}, bSt = {0, 4, 0, 1};
            S out = p.out(n);
            p.run((be, s) -> be.pointwise().binary(op, s.of(a), 0, aSt, s.of(b), 0, bSt, s.of(out), 0, shape));
            p.same("binary " + op, out, ELEMENTWISE);
        }
        // Scalar against a matrix, operands at offsets, and rank 0.
        S a = p.randn(64), b = p.randn(8);
        S out = p.out(48);
        p.run((be, s) -> be.pointwise().binary(BinaryOp.MUL, s.of(a), 10, new int[] {8, 1}, s.of(b), 3, new int[] {0, 0},
                s.of(out), 0, new int[] {6, 8}));
        p.same("binary broadcast scalar", out, ELEMENTWISE);
        S one = p.out(1);
        p.run((be, s) -> be.pointwise().binary(BinaryOp.SUB, s.of(a), 5, new int[0], s.of(b), 2, new int[0], s.of(one), 0, new int[0]));
        p.same("binary rank 0", one, ELEMENTWISE);
    }

    @Test
    void stridedCopies() {
        // Permute (2, 3, 4, 5) → (4, 2, 5, 3): the attention head shuffle.
        S x = p.randn(120);
        S y = p.out(120);
        int[] shape = {4, 2, 5, 3}, src = {5, 60, 1, 20}, dst = {30, 15, 3, 1};
        p.run((be, s) -> be.pointwise().copy(s.of(x), 0, src, s.of(y), 0, dst, shape, false));
        p.same("copy permute", y, 0);
        S acc = p.acc(120);
        p.run((be, s) -> be.pointwise().copy(s.of(x), 0, src, s.of(acc), 0, dst, shape, true));
        p.same("copy permute accumulate", acc, ELEMENTWISE);
        // Broadcast a bias over rows, into a slice of a bigger buffer.
        S bias = p.randn(7);
        S big = p.randn(200);
        p.run((be, s) -> be.pointwise().copy(s.of(bias), 0, new int[] {0, 1}, s.of(big), 11, new int[] {9, 1}, new int[] {20, 7}, false));
        p.same("copy broadcast into slice", big, 0);
        // Int copy.
        int[] ids = new int[60];
        for (int i = 0; i < ids.length; i++) ids[i] = p.rng.nextInt(1000);
        S iv = p.ints(ids);
        Storage ic = p.cpu.memory().allocate(DType.I32, 60), it = p.tvm.memory().allocate(DType.I32, 60);
        S io = new S(ic, it, 60);
        p.run((be, s) -> be.pointwise().copy(s.of(iv), 0, new int[] {1, 6}, s.of(io), 0, new int[] {10, 1}, new int[] {6, 10}, false));
        p.sameInts("copy int transpose", io);
        p.cpu.memory().release(ic);
        p.tvm.memory().release(it);
        assertThatThrownBy(() -> p.tvm.pointwise().copy(iv.t(), 0, new int[] {1}, iv.t(), 0, new int[] {1}, new int[] {60}, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reductions() {
        int outer = 6, len = 333, inner = 5;
        S x = p.randn(outer * len * inner);
        for (ReduceOp op : ReduceOp.values()) {
            for (boolean acc : new boolean[] {false, true}) {
                S cols = acc ? p.acc(outer * inner) : p.out(outer * inner);
                p.run((be, s) -> be.pointwise().reduce(op, s.of(x), 0, s.of(cols), 0, outer, len, inner, acc));
                p.same("reduce columns " + op + (acc ? " acc" : ""), cols, ELEMENTWISE);
                S rows = acc ? p.acc(outer * inner) : p.out(outer * inner);
                p.run((be, s) -> be.pointwise().reduce(op, s.of(x), 0, s.of(rows), 0, outer * inner, len, 1, acc));
                p.same("reduce rows " + op + (acc ? " acc" : ""), rows, ELEMENTWISE);
            }
        }
    }

    // ------------------------------------------------------------------ gemm

    @Test
    void matmulEveryLayout() {
        int m = 37, n = 29, k = 45, batch = 3;
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true})
                for (boolean shared : new boolean[] {false, true})
                    for (boolean acc : new boolean[] {false, true}) {
                        S a = p.randn(batch * m * k + 7);
                        S b = p.randn(batch * k * n);
                        S c = acc ? p.acc(batch * m * n + 3) : p.out(batch * m * n + 3);
                        long bStride = shared ? 0 : (long) k * n;
                        float alpha = acc ? 0.5f : 1f;
                        p.run((be, s) -> be.gemm().matmul(batch, m, n, k, alpha, of(s.of(a), 7).batched((long) m * k).transposedIf(ta), of(s.of(b), 0).batched(bStride).transposedIf(tb), of(s.of(c), 3).batched((long) m * n), acc));
                        String what = "matmul" + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "") + (shared ? " sharedB" : "") + (acc ? " acc" : "");
                        // The first 3 elements of c are not part of the product: poisoned (NaN) on both or random.
                        p.same(what, c, MATMUL);
                    }
        // A bigger product, as a linear layer's.
        int rows = 256, in = 96, out = 288;
        S x = p.randn(rows * in), w = p.randn(out * in), y = p.out(rows * out);
        p.run((be, s) -> be.gemm().matmul(1, rows, out, in, 1f, of(s.of(x), 0), of(s.of(w), 0).t(), of(s.of(y), 0), false));
        p.same("matmul linear 256x96x288", y, MATMUL);
    }

    // ------------------------------------------------------------------ norms

    @Test
    void layerNormForwardAndBackward() {
        int rows = 70, dim = 200;
        for (boolean bias : new boolean[] {true, false}) {
            S x = p.randn(rows * dim), w = p.randn(dim), b = bias ? p.randn(dim) : null;
            S y = p.out(rows * dim), mean = p.out(rows), rstd = p.out(rows);
            p.run((be, s) -> be.norms().layerNorm(s.of(x), s.of(w), s.of(b), s.of(y), s.of(mean), s.of(rstd), rows, dim, 1e-5f));
            p.same("layerNorm y", y, ELEMENTWISE);
            p.same("layerNorm mean", mean, ELEMENTWISE);
            p.same("layerNorm rstd", rstd, ELEMENTWISE);
            S dy = p.randn(rows * dim);
            for (boolean acc : new boolean[] {false, true}) {
                S dx = acc ? p.acc(rows * dim) : p.out(rows * dim), dw = acc ? p.acc(dim) : p.out(dim);
                S db = bias ? (acc ? p.acc(dim) : p.out(dim)) : null;
                p.run((be, s) -> be.norms().layerNormBackward(s.of(dy), s.of(x), s.of(w), s.of(mean), s.of(rstd), new LayerGradients(s.of(dx), s.of(dw), s.of(db), acc, acc), rows, dim));
                p.same("layerNormBackward dx", dx, ELEMENTWISE);
                p.same("layerNormBackward dw", dw, ELEMENTWISE);
                if (bias) p.same("layerNormBackward db", db, ELEMENTWISE);
            }
        }
    }

    @Test
    void rmsNormForwardAndBackward() {
        int rows = 45, dim = 130;
        for (boolean weight : new boolean[] {true, false}) {
            S x = p.randn(rows * dim), w = weight ? p.randn(dim) : null;
            S y = p.out(rows * dim), rstd = p.out(rows);
            p.run((be, s) -> be.norms().rmsNorm(s.of(x), s.of(w), s.of(y), s.of(rstd), rows, dim, 1e-6f));
            p.same("rmsNorm y", y, ELEMENTWISE);
            p.same("rmsNorm rstd", rstd, ELEMENTWISE);
            S dy = p.randn(rows * dim);
            for (boolean acc : new boolean[] {false, true}) {
                S dx = acc ? p.acc(rows * dim) : p.out(rows * dim), dw = weight ? (acc ? p.acc(dim) : p.out(dim)) : null;
                p.run((be, s) -> be.norms().rmsNormBackward(s.of(dy), s.of(x), s.of(w), s.of(rstd), new LayerGradients(s.of(dx), s.of(dw), null, acc, acc), rows, dim));
                p.same("rmsNormBackward dx", dx, ELEMENTWISE);
                if (weight) p.same("rmsNormBackward dw", dw, ELEMENTWISE);
            }
        }
    }

    // ------------------------------------------------------------------ softmax

    @Test
    void softmaxMasksAndExtraLogit() {
        int q = 9, keys = 12, blocks = 4, rows = q * blocks;
        CausalMask[] masks = {null, new CausalMask(q, keys, keys - q, 0), new CausalMask(q, keys, 3, 4)};
        for (CausalMask mask : masks)
            for (float extra : new float[] {Float.NEGATIVE_INFINITY, 0f, 1.5f}) {
                S x = p.randn(rows * keys), y = p.out(rows * keys);
                p.run((be, s) -> be.softmax().softmax(s.of(x), s.of(y), rows, keys, mask, extra));
                String what = "softmax " + (mask == null ? "" : "mask w" + mask.window()) + " extra " + extra;
                p.same(what, y, ELEMENTWISE);
                S dy = p.randn(rows * keys);
                for (boolean acc : new boolean[] {false, true}) {
                    S dx = acc ? p.acc(rows * keys) : p.out(rows * keys);
                    p.run((be, s) -> be.softmax().softmaxBackward(s.of(y), s.of(dy), s.of(dx), rows, keys, acc));
                    p.same("softmaxBackward" + (acc ? " acc" : ""), dx, ELEMENTWISE);
                }
            }
        // All entries −∞: zeros, not NaN.
        float[] inf = new float[2 * 5];
        java.util.Arrays.fill(inf, Float.NEGATIVE_INFINITY);
        S x = p.floats(inf), y = p.out(10);
        p.run((be, s) -> be.softmax().softmax(s.of(x), s.of(y), 2, 5, null, Float.NEGATIVE_INFINITY));
        p.same("softmax all -inf", y, 0);
        CausalMask mask = new CausalMask(q, keys, 2, 3);
        S mx = p.randn(rows * keys), my = p.out(rows * keys);
        p.run((be, s) -> be.softmax().maskFill(s.of(mx), s.of(my), rows, keys, mask, Float.NEGATIVE_INFINITY));
        p.same("maskFill", my, 0);
        for (boolean acc : new boolean[] {false, true}) {
            S dx = acc ? p.acc(rows * keys) : p.out(rows * keys);
            p.run((be, s) -> be.softmax().maskFillBackward(s.of(mx), s.of(dx), rows, keys, mask, acc));
            p.same("maskFillBackward" + (acc ? " acc" : ""), dx, ELEMENTWISE);
        }
    }

    // ------------------------------------------------------------------ attention

    @Test
    void fusedAttentionPackedQkv() {
        int b = 2, h = 3, t = 11, d = 8, c = h * d;
        record Case(String name, int window, float extra, boolean sinks, float dropout) {}
        for (Case k : new Case[] {new Case("softmax", 0, Float.NEGATIVE_INFINITY, false, 0f),
                new Case("softmax1", 0, 0f, false, 0f), new Case("window", 4, 0f, false, 0f),
                new Case("sinks", 0, 0f, true, 0f), new Case("dropout", 0, Float.NEGATIVE_INFINITY, false, 0.3f)}) {
            AttentionArgs args = new AttentionArgs(b, h, t, t, d, new CausalMask(t, t, 0, k.window), (float) (1 / Math.sqrt(d)),
                    k.extra, k.dropout, p.rng.nextLong());
            S qkv = p.randn(b * t * 3 * c), out = p.out(b * t * c), lse = p.out(b * h * t);
            S sinks = k.sinks ? p.randn(h) : null;
            p.run((be, s) -> be.attention().forward(args, new AttentionOperands(new RowView(s.of(qkv), 0, 3 * c), new RowView(s.of(qkv), c, 3 * c), new RowView(s.of(qkv), 2L * c, 3 * c), new RowView(s.of(out), 0, c), s.of(lse), s.of(sinks))));
            p.same("attention " + k.name + " out", out, MATMUL);
            p.same("attention " + k.name + " lse", lse, MATMUL);
            S dOut = p.randn(b * t * c);
            for (boolean acc : new boolean[] {false, true}) {
                S dqkv = acc ? p.acc(b * t * 3 * c) : p.out(b * t * 3 * c);
                S dSinks = k.sinks ? p.acc(h) : null;
                p.run((be, s) -> be.attention().backward(args, new AttentionOperands(new RowView(s.of(qkv), 0, 3 * c), new RowView(s.of(qkv), c, 3 * c), new RowView(s.of(qkv), 2L * c, 3 * c), new RowView(s.of(out), 0, c), s.of(lse), s.of(sinks)), new RowView(s.of(dOut), 0, c), new AttentionGradients(new RowView(s.of(dqkv), 0, 3 * c), new RowView(s.of(dqkv), c, 3 * c), new RowView(s.of(dqkv), 2L * c, 3 * c), s.of(dSinks), acc)));
                p.same("attention " + k.name + " dqkv" + (acc ? " acc" : ""), dqkv, MATMUL);
                if (k.sinks) p.same("attention sinks dSinks", dSinks, MATMUL);
            }
        }
    }

    @Test
    void attentionOverACache() {
        // 3 new queries over 10 keys (7 cached), separate q, k, v tensors.
        int b = 2, h = 2, tq = 3, tk = 10, d = 16, c = h * d;
        AttentionArgs args = new AttentionArgs(b, h, tq, tk, d, new CausalMask(tq, tk, tk - tq, 0), 0.25f, 0f, 0f, 0L);
        S q = p.randn(b * tq * c), k = p.randn(b * tk * c), v = p.randn(b * tk * c), out = p.out(b * tq * c), lse = p.out(b * h * tq);
        p.run((be, s) -> be.attention().forward(args, new AttentionOperands(new RowView(s.of(q), 0, c), new RowView(s.of(k), 0, c), new RowView(s.of(v), 0, c), new RowView(s.of(out), 0, c), s.of(lse), null)));
        p.same("attention cached out", out, MATMUL);
        S g = p.randn(b * tq * c), dq = p.out(b * tq * c), dk = p.out(b * tk * c), dv = p.out(b * tk * c);
        p.run((be, s) -> be.attention().backward(args, new AttentionOperands(new RowView(s.of(q), 0, c), new RowView(s.of(k), 0, c), new RowView(s.of(v), 0, c), new RowView(s.of(out), 0, c), s.of(lse), null), new RowView(s.of(g), 0, c), new AttentionGradients(new RowView(s.of(dq), 0, c), new RowView(s.of(dk), 0, c), new RowView(s.of(dv), 0, c), null, false)));
        p.same("attention cached dq", dq, MATMUL);
        p.same("attention cached dk", dk, MATMUL);
        p.same("attention cached dv", dv, MATMUL);
    }

    // ------------------------------------------------------------------ masks with documents, clipped softmax, rotary

    /**
     * Random document starts (B, queries) for queries at positions queryOffset.. : nondecreasing along each sequence,
     * a new document beginning at a query with probability 1/4, the first one possibly before the queries (a cache).
     */
    int[] documentStarts(int batch, int queries, int queryOffset) {
        int[] starts = new int[batch * queries];
        for (int b = 0; b < batch; b++) {
            int start = queryOffset == 0 ? 0 : p.rng.nextInt(queryOffset + 1);
            for (int i = 0; i < queries; i++) {
                if (i > 0 && p.rng.nextInt(4) == 0) start = queryOffset + i;
                starts[b * queries + i] = start;
            }
        }
        return starts;
    }

    /** The four mask kinds: causal, window, document, window + document (null documents: none). */
    record MaskCase(String name, int window, boolean documents) {}

    static final MaskCase[] MASKS = {new MaskCase("causal", 0, false), new MaskCase("window", 3, false),
            new MaskCase("document", 0, true), new MaskCase("window+document", 4, true)};

    @Test
    void softmaxAndMaskFillWithDocuments() {
        int batch = 3, heads = 2, q = 9, keys = 12, qo = keys - q, rows = batch * heads * q;
        for (MaskCase mc : MASKS) {
            S docs = mc.documents ? p.ints(documentStarts(batch, q, qo)) : null;
            for (float extra : new float[] {Float.NEGATIVE_INFINITY, 0.5f}) {
                S x = p.randn(rows * keys), y = p.out(rows * keys);
                p.run((be, s) -> be.softmax().softmax(s.of(x), s.of(y), rows, keys, mask(q, keys, qo, mc, s.of(docs), heads), extra));
                p.same("softmax " + mc.name + " extra " + extra, y, ELEMENTWISE);
            }
            S mx = p.randn(rows * keys), my = p.out(rows * keys);
            p.run((be, s) -> be.softmax().maskFill(s.of(mx), s.of(my), rows, keys, mask(q, keys, qo, mc, s.of(docs), heads), Float.NEGATIVE_INFINITY));
            p.same("maskFill " + mc.name, my, 0);
            for (boolean acc : new boolean[] {false, true}) {
                S dx = acc ? p.acc(rows * keys) : p.out(rows * keys);
                p.run((be, s) -> be.softmax().maskFillBackward(s.of(mx), s.of(dx), rows, keys, mask(q, keys, qo, mc, s.of(docs), heads), acc));
                p.same("maskFillBackward " + mc.name + (acc ? " acc" : ""), dx, ELEMENTWISE);
            }
        }
    }

    static CausalMask mask(int queries, int keys, int queryOffset, MaskCase mc, Storage docs, int heads) {
        CausalMask m = new CausalMask(queries, keys, queryOffset, mc.window);
        return docs == null ? m : m.withDocuments(docs, heads);
    }

    /** Forward and backward (overwrite and accumulate) of one attention on both backends, over a packed qkv. */
    void attentionBothWays(String what, java.util.function.Function<Pair.Side, AttentionArgs> argsOf, int b, int h, int t,
                           int d, boolean clipped, float gamma, float zeta) {
        int c = h * d;
        S qkv = p.randn(b * t * 3 * c), out = p.out(b * t * c), lse = p.out(b * h * t);
        java.util.function.Function<dev.nanolab.api.backend.Backend, dev.nanolab.api.backend.Attention> kernel = be -> clipped
                ? be.extension(ClippedSoftmaxKernels.class).orElseThrow().clipped(gamma, zeta)
                : be.attention();
        java.util.function.Function<Pair.Side, AttentionOperands> ops = s -> new AttentionOperands(
                new RowView(s.of(qkv), 0, 3 * c), new RowView(s.of(qkv), c, 3 * c), new RowView(s.of(qkv), 2L * c, 3 * c),
                new RowView(s.of(out), 0, c), s.of(lse), null);
        p.run((be, s) -> kernel.apply(be).forward(argsOf.apply(s), ops.apply(s)));
        p.same(what + " out", out, MATMUL);
        p.same(what + " lse", lse, MATMUL);
        S dOut = p.randn(b * t * c);
        for (boolean acc : new boolean[] {false, true}) {
            S dqkv = acc ? p.acc(b * t * 3 * c) : p.out(b * t * 3 * c);
            p.run((be, s) -> kernel.apply(be).backward(argsOf.apply(s), ops.apply(s), new RowView(s.of(dOut), 0, c),
                    new AttentionGradients(new RowView(s.of(dqkv), 0, 3 * c), new RowView(s.of(dqkv), c, 3 * c),
                            new RowView(s.of(dqkv), 2L * c, 3 * c), null, acc)));
            p.same(what + " dqkv" + (acc ? " acc" : ""), dqkv, MATMUL);
        }
    }

    @Test
    void attentionWithWindowsAndDocuments() {
        int b = 2, h = 3, t = 13, d = 8;
        for (MaskCase mc : MASKS)
            for (float extra : new float[] {Float.NEGATIVE_INFINITY, 0f}) {
                S docs = mc.documents ? p.ints(documentStarts(b, t, 0)) : null;
                long seed = p.rng.nextLong();
                float drop = extra == 0f ? 0.2f : 0f;
                attentionBothWays("attention " + mc.name + (extra == 0f ? " softmax1+dropout" : " softmax"),
                        s -> new AttentionArgs(b, h, t, t, d, mask(t, t, 0, mc, s.of(docs), h), (float) (1 / Math.sqrt(d)),
                                extra, drop, seed), b, h, t, d, false, 0f, 1f);
            }
    }

    @Test
    void clippedSoftmaxAttention() {
        int b = 2, h = 2, t = 12, d = 8;
        assertThat(p.tvm.extension(ClippedSoftmaxKernels.class)).as("tornadovm offers ClippedSoftmaxKernels").isPresent();
        // γ = −0.03, ζ = 1.0 (the paper's language-model setting) clips small weights to exactly 0; a larger scale makes
        // some weights reach the upper clip too.
        for (MaskCase mc : MASKS)
            for (float drop : new float[] {0f, 0.25f}) {
                S docs = mc.documents ? p.ints(documentStarts(b, t, 0)) : null;
                long seed = p.rng.nextLong();
                float scale = mc.window > 0 ? 2f : (float) (1 / Math.sqrt(d));
                float zeta = mc.window > 0 ? 1.1f : 1f;
                attentionBothWays("clipped " + mc.name + (drop > 0 ? " dropout" : ""),
                        s -> new AttentionArgs(b, h, t, t, d, mask(t, t, 0, mc, s.of(docs), h), scale,
                                Float.NEGATIVE_INFINITY, drop, seed), b, h, t, d, true, -0.03f, zeta);
            }
        assertThatThrownBy(() -> p.tvm.extension(ClippedSoftmaxKernels.class).orElseThrow().clipped(0.1f, 1f))
                .hasMessageContaining("gamma <= 0");
    }

    @Test
    void rotaryForwardInverseAndAccumulate() {
        // Rows of a packed projection (row stride 3·C wider than the H·D rotated), positions from an offset.
        int batch = 2, time = 7, heads = 3, dim = 10, half = dim / 2, offset = 5, maxPos = offset + time + 3, c = heads * dim;
        float[] cos = new float[maxPos * half], sin = new float[maxPos * half];
        for (int pos = 0; pos < maxPos; pos++)
            for (int j = 0; j < half; j++) {
                double w = j == half - 1 ? 0 : Math.pow(100, -(double) j / half); // the last pair unrotated (truncated RoPE)
                cos[pos * half + j] = (float) Math.cos(pos * w);
                sin[pos * half + j] = (float) Math.sin(pos * w);
            }
        S cs = p.floats(cos), sn = p.floats(sin);
        RotaryShape shape = new RotaryShape(batch, time, heads, dim, offset);
        int rows = batch * time;
        for (boolean inverse : new boolean[] {false, true})
            for (boolean acc : new boolean[] {false, true}) {
                S x = p.randn(rows * 3 * c);
                S y = acc ? p.acc(rows * 2 * c) : p.out(rows * 2 * c);
                // Read k from the packed projection (offset c, stride 3c); write into every other C of y (stride 2c).
                p.run((be, s) -> be.rotary().rotate(new RowView(s.of(x), c, 3 * c), new RowView(s.of(y), 0, 2 * c),
                        s.of(cs), s.of(sn), shape, inverse, acc));
                // Without accumulate, the gaps between rotated rows stay poisoned (NaN) on both sides: not written.
                p.same("rotary" + (inverse ? " inverse" : "") + (acc ? " acc" : ""), y, ELEMENTWISE);
            }
        // Inverse after forward gives x back.
        S x = p.randn(rows * c), y = p.out(rows * c), back = p.out(rows * c);
        p.run((be, s) -> be.rotary().rotate(new RowView(s.of(x), 0, c), new RowView(s.of(y), 0, c), s.of(cs), s.of(sn), shape, false, false));
        p.run((be, s) -> be.rotary().rotate(new RowView(s.of(y), 0, c), new RowView(s.of(back), 0, c), s.of(cs), s.of(sn), shape, true, false));
        float[] orig = p.read(p.tvm, x.t(), rows * c), round = p.read(p.tvm, back.t(), rows * c);
        for (int i = 0; i < orig.length; i++) assertThat(round[i]).as("rotary round trip [%d]", i).isCloseTo(orig[i], org.assertj.core.data.Offset.offset(1e-5f));
    }

    // ------------------------------------------------------------------ losses, embeddings, dropout

    @Test
    void crossEntropyWithIgnoredRows() {
        int rows = 50, vocab = 333;
        S logits = p.randn(rows * vocab);
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) t[i] = i % 7 == 3 ? -100 : p.rng.nextInt(vocab);
        S targets = p.ints(t), lse = p.out(rows), loss = p.out(1);
        p.run((be, s) -> be.losses().crossEntropy(s.of(logits), s.of(targets), s.of(lse), s.of(loss), rows, vocab, -100));
        p.same("crossEntropy loss", loss, ELEMENTWISE);
        p.same("crossEntropy lse", lse, ELEMENTWISE);
        S dLoss = p.floats(new float[] {1.3f});
        for (boolean acc : new boolean[] {false, true}) {
            S d = acc ? p.acc(rows * vocab) : p.out(rows * vocab);
            p.run((be, s) -> be.losses().crossEntropyBackward(s.of(logits), s.of(targets), s.of(lse), s.of(dLoss), s.of(d), rows,
                    vocab, -100, acc));
            p.same("crossEntropyBackward" + (acc ? " acc" : ""), d, ELEMENTWISE);
        }
        int[] bad = t.clone();
        bad[17] = vocab + 4;
        S badTargets = p.ints(bad);
        assertThatThrownBy(() -> p.tvm.losses().crossEntropy(logits.t(), badTargets.t(), lse.t(), loss.t(), rows, vocab, -100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target " + (vocab + 4)).hasMessageContaining("row 17");
    }

    @Test
    void softcappedCrossEntropy() {
        int rows = 50, vocab = 333;
        assertThat(p.tvm.extension(SoftcappedLossKernels.class)).as("tornadovm offers SoftcappedLossKernels").isPresent();
        S logits = p.randn(rows * vocab);
        // Logits of scale ~20 so the cap bends them.
        S big = p.floats(scaled(p.read(p.tvm, logits.t(), rows * vocab), 20f));
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) t[i] = i % 7 == 3 ? -100 : p.rng.nextInt(vocab);
        S targets = p.ints(t), dLoss = p.floats(new float[] {1.3f});
        for (LogitSoftcap cap : new LogitSoftcap[] {new LogitSoftcap(LogitSoftcap.Kind.SIGMOID, 30f),
                new LogitSoftcap(LogitSoftcap.Kind.TANH, 30f), new LogitSoftcap(LogitSoftcap.Kind.SIGMOID, 60f)}) {
            S lse = p.out(rows), loss = p.out(1);
            p.run((be, s) -> be.extension(SoftcappedLossKernels.class).orElseThrow().crossEntropy(s.of(big), s.of(targets),
                    s.of(lse), s.of(loss), rows, vocab, -100, cap));
            p.same("softcapped crossEntropy loss " + cap.kind() + " " + cap.cap(), loss, ELEMENTWISE);
            p.same("softcapped crossEntropy lse " + cap.kind() + " " + cap.cap(), lse, ELEMENTWISE);
            for (boolean acc : new boolean[] {false, true}) {
                S d = acc ? p.acc(rows * vocab) : p.out(rows * vocab);
                p.run((be, s) -> be.extension(SoftcappedLossKernels.class).orElseThrow().crossEntropyBackward(s.of(big),
                        s.of(targets), s.of(lse), s.of(dLoss), s.of(d), rows, vocab, -100, cap, acc));
                p.same("softcapped crossEntropyBackward " + cap.kind() + " " + cap.cap() + (acc ? " acc" : ""), d, ELEMENTWISE);
            }
        }
    }

    private static float[] scaled(float[] x, float k) {
        for (int i = 0; i < x.length; i++) x[i] *= k;
        return x;
    }

    @Test
    void embeddingLookupAndDeterministicBackward() {
        int vocab = 40, dim = 24, n = 300;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = p.rng.nextInt(vocab / 2); // many repeats
        S id = p.ints(ids), table = p.randn(vocab * dim), out = p.out(n * dim);
        p.run((be, s) -> be.embeddings().lookup(s.of(id), s.of(table), s.of(out), n, dim, vocab));
        p.same("embedding lookup", out, 0);
        S g = p.randn(n * dim);
        for (boolean acc : new boolean[] {false, true}) {
            S dt = acc ? p.acc(vocab * dim) : p.out(vocab * dim);
            p.run((be, s) -> be.embeddings().lookupBackward(s.of(id), s.of(g), s.of(dt), n, dim, vocab, acc));
            p.same("embedding backward" + (acc ? " acc" : ""), dt, ELEMENTWISE);
        }
        int[] bad = ids.clone();
        bad[123] = -2;
        S badIds = p.ints(bad);
        assertThatThrownBy(() -> p.tvm.embeddings().lookup(badIds.t(), table.t(), out.t(), n, dim, vocab))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id -2 at position 123");
    }

    @Test
    void dropoutMaskMatchesTheCpuBitForBit() {
        int n = 10_000;
        float prob = 0.37f;
        long seed = p.rng.nextLong();
        S x = p.randn(n), y = p.out(n);
        p.run((be, s) -> be.dropout().dropout(s.of(x), s.of(y), n, prob, seed));
        p.same("dropout", y, 0);
        float[] got = p.read(p.tvm, y.t(), n);
        int zeros = 0;
        for (float v : got) if (v == 0f) zeros++;
        assertThat(zeros / (double) n).isBetween(0.33, 0.41);
        S dy = p.randn(n);
        for (boolean acc : new boolean[] {false, true}) {
            S dx = acc ? p.acc(n) : p.out(n);
            p.run((be, s) -> be.dropout().dropoutBackward(s.of(dy), s.of(dx), n, prob, seed, acc));
            p.same("dropoutBackward" + (acc ? " acc" : ""), dx, ELEMENTWISE);
        }
    }

    // ------------------------------------------------------------------ optimizer

    @Test
    void adamwSumOfSquaresAndClipScale() {
        int n = 10_007;
        S param = p.randn(n), grad = p.randn(n), m = p.randn(n), v = p.uniform(n, 0f, 2f);
        S hyper = p.floats(new float[] {3e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, 0.271f, 0.0975f, 0.8f});
        p.run((be, s) -> be.extension(FusedOptimizerKernels.class).orElseThrow().adamw(s.of(param), s.of(grad), s.of(m), s.of(v), n, s.of(hyper), 0));
        p.same("adamw param", param, ELEMENTWISE);
        p.same("adamw m", m, ELEMENTWISE);
        p.same("adamw v", v, ELEMENTWISE);
        S sums = p.out(3);
        p.run((be, s) -> be.optimizer().sumOfSquares(s.of(grad), n, s.of(sums), 1, false));
        p.run((be, s) -> be.optimizer().sumOfSquares(s.of(param), n, s.of(sums), 1, true));
        p.run((be, s) -> be.memory().fill(s.of(sums), 0, 1, 0f));
        p.run((be, s) -> be.memory().fill(s.of(sums), 2, 1, 0f));
        p.same("sumOfSquares", sums, ELEMENTWISE);
        S h2 = p.floats(new float[FusedOptimizerKernels.ADAMW_HYPER_SIZE]);
        for (float maxNorm : new float[] {1f, 1e6f, 0f}) {
            p.run((be, s) -> be.optimizer().clipScale(s.of(sums), 1, maxNorm, s.of(h2), FusedOptimizerKernels.GRAD_SCALE));
            p.same("clipScale " + maxNorm, h2, ELEMENTWISE);
        }
    }

    @Test
    void sgdRmspropAdamLionAndMuon() {
        int n = 5003;
        for (int variant = 0; variant < 4; variant++) {
            boolean withState = variant % 2 == 0, nesterov = variant >= 2;
            S param = p.randn(n), grad = p.randn(n), buf = withState ? p.randn(n) : null;
            S hyper = p.floats(new float[] {0.05f, 0.9f, 0.9f, 0.95f, nesterov ? 1f : 0f, 0.01f, 0.7f});
            p.run((be, s) -> be.extension(FusedOptimizerKernels.class).orElseThrow().sgd(s.of(param), s.of(grad), s.of(buf), n, s.of(hyper), 0));
            p.same("sgd param", param, ELEMENTWISE);
            if (withState) p.same("sgd buffer", buf, ELEMENTWISE);

            boolean centered = variant % 2 == 0, momentum = variant >= 2;
            S sq = p.uniform(n, 0.1f, 2f), ga = centered ? p.uniform(n, -0.1f, 0.1f) : null, mb = momentum ? p.randn(n) : null;
            S rh = p.floats(new float[] {0.01f, 0.99f, 1e-8f, 0.01f, 0.9f, 0.8f});
            p.run((be, s) -> be.extension(FusedOptimizerKernels.class).orElseThrow().rmsprop(s.of(param), s.of(grad), s.of(sq), s.of(ga), s.of(mb), n, s.of(rh), 0));
            p.same("rmsprop param", param, ELEMENTWISE);
            p.same("rmsprop squareAvg", sq, ELEMENTWISE);
            if (centered) p.same("rmsprop gradAvg", ga, ELEMENTWISE);
            if (momentum) p.same("rmsprop buffer", mb, ELEMENTWISE);
        }
        S param = p.randn(n), grad = p.randn(n), m = p.randn(n), v = p.uniform(n, 0f, 2f);
        S ah = p.floats(new float[] {3e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 0.19f, 0.002f, 0.9f});
        p.run((be, s) -> be.extension(FusedOptimizerKernels.class).orElseThrow().adam(s.of(param), s.of(grad), s.of(m), s.of(v), n, s.of(ah), 0));
        p.same("adam param", param, ELEMENTWISE);
        p.same("adam m", m, ELEMENTWISE);
        p.same("adam v", v, ELEMENTWISE);
        // Lion, with some c exactly 0 (sign 0).
        float[] gz = p.randnArray(n), mz = p.randnArray(n);
        for (int i = 0; i < n; i += 7) {
            gz[i] = 0f;
            mz[i] = 0f;
        }
        S lg = p.floats(gz), lm = p.floats(mz);
        S lh = p.floats(new float[] {1e-4f, 0.9f, 0.99f, 0.1f, 1f});
        p.run((be, s) -> be.extension(FusedOptimizerKernels.class).orElseThrow().lion(s.of(param), s.of(lg), s.of(lm), n, s.of(lh), 0));
        p.same("lion param", param, ELEMENTWISE);
        p.same("lion m", lm, ELEMENTWISE);
        for (float nest : new float[] {0f, 1f}) {
            S mg = p.randn(n), mbuf = p.randn(n), upd = p.out(n);
            S mh = p.floats(new float[] {0.02f, 0.95f, nest, 0.01f, 1e-7f, 0f, 1.5f, 0.8f});
            p.run((be, s) -> be.extension(FusedOptimizerKernels.class).orElseThrow().muonMomentum(s.of(mg), s.of(mbuf), s.of(upd), n, s.of(mh), 0));
            p.same("muonMomentum update", upd, ELEMENTWISE);
            p.same("muonMomentum buffer", mbuf, ELEMENTWISE);
            p.run((be, s) -> be.optimizer().sumOfSquares(s.of(upd), n, s.of(mh), FusedOptimizerKernels.MUON_SUM_OF_SQUARES, false));
            p.run((be, s) -> be.extension(FusedOptimizerKernels.class).orElseThrow().muonNormalize(s.of(upd), n, s.of(mh), 0));
            p.same("muonNormalize", upd, ELEMENTWISE);
            p.run((be, s) -> be.extension(FusedOptimizerKernels.class).orElseThrow().muonUpdate(s.of(param), s.of(upd), n, s.of(mh), 0));
            p.same("muonUpdate", param, ELEMENTWISE);
        }
    }

    // ------------------------------------------------------------------ sequences

    @Test
    void causalConvolutionAndLstmCell() {
        int b = 2, t = 13, cin = 5, cout = 6, k = 3, dil = 2;
        S x = p.randn(b * t * cin), w = p.randn(cout * cin * k), bias = p.randn(cout), y = p.out(b * t * cout);
        p.run((be, s) -> be.sequences().causalConv1d(s.of(x), s.of(w), s.of(bias), s.of(y), new ConvShape(b, t, cin, cout, k, dil)));
        p.same("conv1d", y, MATMUL);
        S dy = p.randn(b * t * cout);
        for (boolean acc : new boolean[] {false, true}) {
            S dx = acc ? p.acc(b * t * cin) : p.out(b * t * cin), dw = acc ? p.acc(cout * cin * k) : p.out(cout * cin * k);
            S db = acc ? p.acc(cout) : p.out(cout);
            p.run((be, s) -> be.sequences().causalConv1dBackward(s.of(x), s.of(w), s.of(dy), new ConvShape(b, t, cin, cout, k, dil), new LayerGradients(s.of(dx), s.of(dw), s.of(db), acc, acc)));
            p.same("conv1d dx" + (acc ? " acc" : ""), dx, MATMUL);
            p.same("conv1d dw" + (acc ? " acc" : ""), dw, MATMUL);
            p.same("conv1d db" + (acc ? " acc" : ""), db, MATMUL);
        }
        int batch = 3, hid = 17;
        S gates = p.randn(batch * 4 * hid), cPrev = p.randn(batch * hid), c = p.out(batch * hid), h = p.out(batch * hid);
        p.run((be, s) -> be.sequences().lstmCell(s.of(gates), s.of(cPrev), s.of(c), s.of(h), batch, hid));
        p.same("lstmCell c", c, ELEMENTWISE);
        p.same("lstmCell h", h, ELEMENTWISE);
        S dh = p.randn(batch * hid), dc = p.randn(batch * hid);
        for (boolean acc : new boolean[] {false, true}) {
            S dg = acc ? p.acc(batch * 4 * hid) : p.out(batch * 4 * hid), dcp = acc ? p.acc(batch * hid) : p.out(batch * hid);
            p.run((be, s) -> be.sequences().lstmCellBackward(s.of(gates), s.of(cPrev), s.of(c), s.of(dh), s.of(dc), new LstmCellGradients(s.of(dg), s.of(dcp), acc, acc), batch, hid));
            p.same("lstmCellBackward dGates" + (acc ? " acc" : ""), dg, ELEMENTWISE);
            p.same("lstmCellBackward dcPrev" + (acc ? " acc" : ""), dcp, ELEMENTWISE);
        }
        S dg = p.out(batch * 4 * hid);
        p.run((be, s) -> be.sequences().lstmCellBackward(s.of(gates), s.of(cPrev), s.of(c), s.of(dh), null, new LstmCellGradients(s.of(dg), null, false, false), batch, hid));
        p.same("lstmCellBackward dh only", dg, ELEMENTWISE);
    }
}
