package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.AttentionArgs;
import dev.nanolab.api.backend.AttentionGradients;
import dev.nanolab.api.backend.AttentionOperands;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.Storage;
import java.util.Arrays;

/**
 * Fused causal attention: a forward kernel (online softmax, a thread per query row), and a backward of four kernels:
 * the row dots D_i = dO_i·O_i, dq (a thread per query), dk and dv (a thread per key), and the sink logits' gradient.
 */
final class TornadoAttention extends Ops implements Attention {
    TornadoAttention(TornadoBackend backend) {
        super(backend);
    }

    private static long span(AttentionArgs a, int t, int row) {
        return ((long) a.batch() * t - 1) * row + (long) a.heads() * a.headDim();
    }

    /** The argument block every attention kernel starts with (see KAttention). */
    private int[] common(AttentionArgs a, AttentionOperands x, int extra) {
        RowView q = x.q(), k = x.k(), v = x.v(), out = x.out();
        Storage sinks = x.sinkLogits();
        int[] c = new int[22 + extra];
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

    private static float[] floats(AttentionArgs a) {
        float extra = a.extraLogit() == Float.NEGATIVE_INFINITY ? 0f : a.extraLogit();
        float p = a.dropout();
        return new float[] {a.scale(), extra, p, p > 0 ? 1f / (1f - p) : 1f};
    }

    @Override
    public void forward(AttentionArgs a, AttentionOperands x) {
        long rows = (long) a.batch() * a.heads() * a.queries();
        launch(KernelCall.elementwise(Kernel.ATTENTION_FORWARD, rows, common(a, x, 0), floats(a)));
    }

    @Override
    public void backward(AttentionArgs a, AttentionOperands x, RowView dO, AttentionGradients grads) {
        long rows = (long) a.batch() * a.heads() * a.queries();
        long keyRows = (long) a.batch() * a.heads() * a.keys();
        float[] fl = floats(a);
        Storage dots = scratch(rows);
        int g = rows(dO, a, a.queries()), d = f(dots, rows);
        int flagAccumulate = flag(grads.accumulate());

        // The common block and [gOff, gRow, dOff], checked once; each later kernel gets a copy with its own arguments.
        int[] c = common(a, x, 3);
        c[22] = g;
        c[23] = dO.rowStride();
        c[24] = d;
        launch(KernelCall.elementwise(Kernel.ATTENTION_ROW_DOT, rows, c, fl));
        launch(KernelCall.elementwise(Kernel.ATTENTION_DQ, rows,
                with(c, rows(grads.dq(), a, a.queries()), grads.dq().rowStride(), flagAccumulate), fl));
        launch(KernelCall.elementwise(Kernel.ATTENTION_DKV, keyRows, with(c, rows(grads.dk(), a, a.keys()),
                grads.dk().rowStride(), rows(grads.dv(), a, a.keys()), grads.dv().rowStride(), flagAccumulate), fl));
        if (grads.dSinkLogits() != null)
            launch(KernelCall.elementwise(Kernel.ATTENTION_SINKS, a.heads(), with(c, f(grads.dSinkLogits(), a.heads())), fl));
        release(dots);
    }
}
