package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.AttentionGradients;
import dev.nanolab.api.backend.AttentionOperands;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.tornadovm.kernels.KAttention;
import java.util.Arrays;

/**
 * Fused causal attention: a forward kernel (online softmax, a thread per query row), and a backward of four kernels:
 * the row dots D_i = dO_i·O_i, dq (a thread per query), dk and dv (a thread per key), and the sink logits' gradient.
 * Masks: causal, sliding window and document starts ({@code CausalMask.documentStarts}), all as key ranges per query.
 *
 * <p>The clipped-softmax variant ({@link #clipped}) runs KClipped's kernels on the same argument block: a two-pass
 * forward, and R_i (the clip's row term) in place of D_i.
 */
final class TornadoAttention extends Ops implements Attention {
    private final boolean clip;
    private final float gamma, zeta;

    TornadoAttention(TornadoBackend backend) {
        this(backend, false, 0f, 1f);
    }

    private TornadoAttention(TornadoBackend backend, boolean clip, float gamma, float zeta) {
        super(backend);
        this.clip = clip;
        this.gamma = gamma;
        this.zeta = zeta;
    }

    /** The clipped-softmax attention for this γ (≤ 0) and ζ (≥ 1): {@code ClippedSoftmaxKernels.clipped}. */
    static TornadoAttention clipped(TornadoBackend backend, float gamma, float zeta) {
        if (!(gamma <= 0) || !(zeta >= 1) || Float.isInfinite(gamma) || Float.isInfinite(zeta))
            throw new IllegalArgumentException("clipped softmax needs finite gamma <= 0 and zeta >= 1, got gamma="
                    + gamma + " zeta=" + zeta);
        return new TornadoAttention(backend, true, gamma, zeta);
    }

    private void checkClip(AttentionArgs a, AttentionOperands x) {
        if (clip && (x.sinkLogits() != null || a.extraLogit() != Float.NEGATIVE_INFINITY))
            throw new UnsupportedOperationException("clipped softmax cannot be combined with an extra or learned logit");
    }

    private static long span(AttentionArgs a, int t, int row) {
        return ((long) a.batch() * t - 1) * row + (long) a.heads() * a.headDim();
    }

    /** The argument block every attention kernel starts with (see KAttention). */
    private int[] common(AttentionArgs a, AttentionOperands x, int extra) {
        RowView q = x.q(), k = x.k(), v = x.v(), out = x.out();
        Storage sinks = x.sinkLogits();
        int[] c = new int[KAttention.COMMON + extra];
        long seed = a.dropoutSeed();
        c[0] = a.batch();
        c[1] = a.heads();
        c[2] = a.queries();
        c[3] = a.keys();
        c[4] = a.headDim();
        c[5] = a.mask().queryOffset();
        c[6] = a.mask().window();
        c[7] = flag(sinks != null);
        c[8] = fOpt(sinks, a.heads());
        c[9] = flag(a.extraLogit() != Float.NEGATIVE_INFINITY);
        c[10] = flag(a.dropout() > 0);
        c[11] = (int) (seed >>> 32);
        c[12] = (int) seed;
        c[13] = rows(q, a, a.queries());
        c[14] = q.rowStride();
        c[15] = rows(k, a, a.keys());
        c[16] = k.rowStride();
        c[17] = rows(v, a, a.keys());
        c[18] = v.rowStride();
        c[19] = rows(out, a, a.queries());
        c[20] = out.rowStride();
        c[21] = f(x.lse(), (long) a.batch() * a.heads() * a.queries());
        Storage docs = a.mask().documentStarts();
        c[22] = flag(docs != null);
        c[23] = docs == null ? 0 : i(docs, 0, (long) a.batch() * a.queries());
        return c;
    }

    /** {@code args} followed by {@code extra}, in a new array (a queued call keeps the array it was given). */
    private static int[] with(int[] args, int... extra) {
        int[] c = Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, c, args.length, extra.length);
        return c;
    }

    /** The element offset of {@code t} rows per sequence in a row view, checked against its storage. */
    private int rows(RowView view, AttentionArgs a, int t) {
        return f(view.storage(), view.offset(), span(a, t, view.rowStride()));
    }

    private float[] floats(AttentionArgs a) {
        float extra = a.extraLogit() == Float.NEGATIVE_INFINITY ? 0f : a.extraLogit();
        float p = a.dropout();
        return new float[] {a.scale(), extra, p, p > 0 ? 1f / (1f - p) : 1f, gamma, zeta - gamma};
    }

    @Override
    public void forward(AttentionArgs a, AttentionOperands x) {
        checkClip(a, x);
        long rows = (long) a.batch() * a.heads() * a.queries();
        launch(KernelCall.elementwise(clip ? Kernel.CLIPPED_FORWARD : Kernel.ATTENTION_FORWARD, rows, common(a, x, 0), floats(a)));
    }

    @Override
    public void backward(AttentionArgs a, AttentionOperands x, RowView dO, AttentionGradients grads) {
        checkClip(a, x);
        long rows = (long) a.batch() * a.heads() * a.queries();
        long keyRows = (long) a.batch() * a.heads() * a.keys();
        float[] fl = floats(a);
        Storage dots = scratch(rows);
        int g = rows(dO, a, a.queries()), d = f(dots, rows);
        int flagAccumulate = flag(grads.accumulate());

        // The common block and [gOff, gRow, dOff], checked once; each later kernel gets a copy with its own arguments.
        int[] c = common(a, x, 3);
        c[KAttention.COMMON] = g;
        c[KAttention.COMMON + 1] = dO.rowStride();
        c[KAttention.COMMON + 2] = d;
        launch(KernelCall.elementwise(clip ? Kernel.CLIPPED_ROW_TERM : Kernel.ATTENTION_ROW_DOT, rows, c, fl));
        launch(KernelCall.elementwise(clip ? Kernel.CLIPPED_DQ : Kernel.ATTENTION_DQ, rows,
                with(c, rows(grads.dq(), a, a.queries()), grads.dq().rowStride(), flagAccumulate), fl));
        launch(KernelCall.elementwise(clip ? Kernel.CLIPPED_DKV : Kernel.ATTENTION_DKV, keyRows, with(c, rows(grads.dk(), a, a.keys()),
                grads.dk().rowStride(), rows(grads.dv(), a, a.keys()), grads.dv().rowStride(), flagAccumulate), fl));
        if (grads.dSinkLogits() != null)
            launch(KernelCall.elementwise(Kernel.ATTENTION_SINKS, a.heads(), with(c, f(grads.dSinkLogits(), a.heads())), fl));
        release(dots);
    }
}
