package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.AttentionArgs;
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
    private int[] common(AttentionArgs a, Storage q, long qOff, int qRow, Storage k, long kOff, int kRow, Storage v,
                         long vOff, int vRow, Storage out, long outOff, int outRow, Storage lse, Storage sinks, int extra) {
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
        c[13] = f(q, qOff, span(a, a.queries(), qRow));
        c[14] = qRow;
        c[15] = f(k, kOff, span(a, a.keys(), kRow));
        c[16] = kRow;
        c[17] = f(v, vOff, span(a, a.keys(), vRow));
        c[18] = vRow;
        c[19] = out == null ? 0 : f(out, outOff, span(a, a.queries(), outRow));
        c[20] = outRow;
        c[21] = f(lse, (long) a.batch() * a.heads() * a.queries());
        return c;
    }

    /** {@code args} followed by {@code extra}, in a new array (a queued call keeps the array it was given). */
    private static int[] with(int[] args, int... extra) {
        int[] c = Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, c, args.length, extra.length);
        return c;
    }

    /** The kernels implement the plain and extra-logit softmax only; clipping would need a second pass per row. */
    private static void rejectClip(AttentionArgs a) {
        if (a.clipped())
            throw new UnsupportedOperationException("attention clipped-softmax is not supported on the tornadovm backend"
                    + " (gamma=" + a.clipGamma() + ", zeta=" + a.clipZeta() + "); use the cpu backend");
    }

    private static float[] floats(AttentionArgs a) {
        float extra = a.extraLogit() == Float.NEGATIVE_INFINITY ? 0f : a.extraLogit();
        float p = a.dropout();
        return new float[] {a.scale(), extra, p, p > 0 ? 1f / (1f - p) : 1f};
    }

    @Override
    public void forward(AttentionArgs a, Storage q, long qOff, int qRow, Storage k, long kOff, int kRow, Storage v,
                        long vOff, int vRow, Storage out, long outOff, int outRow, Storage lse, Storage sinkLogits) {
        rejectClip(a);
        long rows = (long) a.batch() * a.heads() * a.queries();
        launch(KernelCall.elementwise(Kernel.ATTENTION_FORWARD, rows,
                common(a, q, qOff, qRow, k, kOff, kRow, v, vOff, vRow, out, outOff, outRow, lse, sinkLogits, 0), floats(a)));
    }

    @Override
    public void backward(AttentionArgs a, Storage q, long qOff, int qRow, Storage k, long kOff, int kRow, Storage v,
                         long vOff, int vRow, Storage out, long outOff, int outRow, Storage dOut, long dOutOff,
                         int dOutRow, Storage lse, Storage sinkLogits, Storage dq, long dqOff, int dqRow, Storage dk,
                         long dkOff, int dkRow, Storage dv, long dvOff, int dvRow, Storage dSinkLogits,
                         boolean accumulate) {
        rejectClip(a);
        long rows = (long) a.batch() * a.heads() * a.queries();
        long keyRows = (long) a.batch() * a.heads() * a.keys();
        float[] fl = floats(a);
        Storage dots = scratch(rows);
        int g = f(dOut, dOutOff, span(a, a.queries(), dOutRow)), d = f(dots, rows);

        // The common block and [gOff, gRow, dOff], checked once; each later kernel gets a copy with its own arguments.
        int[] c = common(a, q, qOff, qRow, k, kOff, kRow, v, vOff, vRow, out, outOff, outRow, lse, sinkLogits, 3);
        c[22] = g;
        c[23] = dOutRow;
        c[24] = d;
        launch(KernelCall.elementwise(Kernel.ATTENTION_ROW_DOT, rows, c, fl));
        launch(KernelCall.elementwise(Kernel.ATTENTION_DQ, rows,
                with(c, f(dq, dqOff, span(a, a.queries(), dqRow)), dqRow, flag(accumulate)), fl));
        launch(KernelCall.elementwise(Kernel.ATTENTION_DKV, keyRows, with(c, f(dk, dkOff, span(a, a.keys(), dkRow)), dkRow,
                f(dv, dvOff, span(a, a.keys(), dvRow)), dvRow, flag(accumulate)), fl));
        if (dSinkLogits != null)
            launch(KernelCall.elementwise(Kernel.ATTENTION_SINKS, a.heads(), with(c, f(dSinkLogits, a.heads())), fl));
        release(dots);
    }
}
