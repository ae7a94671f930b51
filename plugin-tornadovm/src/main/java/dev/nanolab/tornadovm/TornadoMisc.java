package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Dropout;
import dev.nanolab.api.backend.OptimizerKernels;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.backend.Sequences;
import dev.nanolab.api.backend.ConvShape;
import dev.nanolab.api.backend.LayerGradients;
import dev.nanolab.api.backend.LstmCellGradients;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.ReduceOp;
import dev.nanolab.tornadovm.kernels.KOptim;

/** Dropout, the optimizer kernels and the sequence-model kernels. */
final class TornadoMisc extends Ops implements Dropout, OptimizerKernels, FusedOptimizerKernels, Sequences {
    TornadoMisc(TornadoBackend backend) {
        super(backend);
    }

    // ------------------------------------------------------------------ dropout

    @Override
    public void dropout(Storage x, Storage y, long n, float p, long seed) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.DROPOUT, n, ints(f(x, n), f(y, n), intSize(n, "length"), (int) (seed >>> 32),
                (int) seed), p, 1f / (1f - p)));
    }

    @Override
    public void dropoutBackward(Storage dy, Storage dx, long n, float p, long seed, boolean accumulate) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.DROPOUT_BACKWARD, n, ints(f(dy, n), f(dx, n), intSize(n, "length"),
                (int) (seed >>> 32), (int) seed, flag(accumulate)), p, 1f / (1f - p)));
    }

    // ------------------------------------------------------------------ optimizer

    @Override
    public void adamw(Storage param, Storage grad, Storage m, Storage v, long n, Storage hyper, int hyperOffset) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.ADAMW, n, ints(f(param, n), f(grad, n), f(m, n), f(v, n), intSize(n, "length"),
                f(hyper, hyperOffset, ADAMW_HYPER_SIZE))));
    }

    @Override
    public void sumOfSquares(Storage x, long n, Storage out, int outIndex, boolean accumulate) {
        int chunks = (int) ((n + KOptim.CHUNK - 1) / KOptim.CHUNK);
        int oo = f(out, outIndex, 1);
        if (chunks == 0) {
            if (!accumulate) launch(KernelCall.elementwise(Kernel.FILL_F, 1, ints(oo, 1), 0f));
            return;
        }
        Storage part = scratch(chunks);
        int po = f(part, chunks);
        launch(KernelCall.rows(Kernel.SUM_OF_SQUARES_PARTIALS, chunks, ints(f(x, n), intSize(n, "length"), po)));
        launch(KernelCall.single(Kernel.SUM_OF_SQUARES_FINAL, ints(po, chunks, oo, flag(accumulate))));
        release(part);
    }

    @Override
    public void clipScale(Storage sumSq, int sumIndex, float maxNorm, Storage hyper, int scaleIndex) {
        launch(KernelCall.single(Kernel.CLIP_SCALE, ints(f(sumSq, sumIndex, 1), f(hyper, scaleIndex, 1)), maxNorm));
    }

    @Override
    public void sgd(Storage param, Storage grad, Storage momentumBuffer, long n, Storage hyper, int hyperOffset) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.SGD, n, ints(f(param, n), f(grad, n), fOpt(momentumBuffer, n),
                flag(momentumBuffer != null), intSize(n, "length"), f(hyper, hyperOffset, SGD_HYPER_SIZE))));
    }

    @Override
    public void rmsprop(Storage param, Storage grad, Storage squareAvg, Storage gradAvg, Storage momentumBuffer, long n,
                        Storage hyper, int hyperOffset) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.RMSPROP, n, ints(f(param, n), f(grad, n), f(squareAvg, n), fOpt(gradAvg, n),
                flag(gradAvg != null), fOpt(momentumBuffer, n), flag(momentumBuffer != null), intSize(n, "length"),
                f(hyper, hyperOffset, RMSPROP_HYPER_SIZE))));
    }

    @Override
    public void adam(Storage param, Storage grad, Storage m, Storage v, long n, Storage hyper, int hyperOffset) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.ADAM, n, ints(f(param, n), f(grad, n), f(m, n), f(v, n), intSize(n, "length"),
                f(hyper, hyperOffset, ADAMW_HYPER_SIZE))));
    }

    @Override
    public void lion(Storage param, Storage grad, Storage m, long n, Storage hyper, int hyperOffset) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.LION, n, ints(f(param, n), f(grad, n), f(m, n), intSize(n, "length"),
                f(hyper, hyperOffset, LION_HYPER_SIZE))));
    }

    @Override
    public void muonMomentum(Storage grad, Storage momentumBuffer, Storage update, long n, Storage hyper, int hyperOffset) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.MUON_MOMENTUM, n, ints(f(grad, n), f(momentumBuffer, n), f(update, n),
                intSize(n, "length"), f(hyper, hyperOffset, MUON_HYPER_SIZE))));
    }

    @Override
    public void muonNormalize(Storage x, long n, Storage hyper, int hyperOffset) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.MUON_NORMALIZE, n, ints(f(x, n), intSize(n, "length"),
                f(hyper, hyperOffset, MUON_HYPER_SIZE))));
    }

    @Override
    public void muonUpdate(Storage param, Storage orthogonal, long n, Storage hyper, int hyperOffset) {
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.MUON_UPDATE, n, ints(f(param, n), f(orthogonal, n), intSize(n, "length"),
                f(hyper, hyperOffset, MUON_HYPER_SIZE))));
    }

    // ------------------------------------------------------------------ sequences

    @Override
    public void causalConv1d(Storage x, Storage weight, Storage bias, Storage y, ConvShape shape) {
        int batch = shape.batch(), time = shape.time(), inChannels = shape.inChannels(), outChannels = shape.outChannels();
        int kernel = shape.kernel(), dilation = shape.dilation();
        long out = (long) batch * time * outChannels;
        if (out == 0) return;
        launch(KernelCall.elementwise(Kernel.CONV1D, out, ints(f(x, (long) batch * time * inChannels),
                f(weight, (long) outChannels * inChannels * kernel), fOpt(bias, outChannels), f(y, out), batch, time,
                inChannels, outChannels, kernel, dilation, flag(bias != null))));
    }

    @Override
    public void causalConv1dBackward(Storage x, Storage weight, Storage dy, ConvShape shape, LayerGradients grads) {
        int batch = shape.batch(), time = shape.time(), inChannels = shape.inChannels(), outChannels = shape.outChannels();
        int kernel = shape.kernel(), dilation = shape.dilation();
        Storage dx = grads.dx(), dWeight = grads.dWeight(), dBias = grads.dBias();
        boolean accumulateDx = grads.accumulateDx(), accumulateParams = grads.accumulateParams();
        long in = (long) batch * time * inChannels, out = (long) batch * time * outChannels;
        long w = (long) outChannels * inChannels * kernel;
        int xo = f(x, in), wo = f(weight, w), dyo = f(dy, out);
        if (in > 0) launch(KernelCall.elementwise(Kernel.CONV1D_BACKWARD_DX, in, ints(wo, dyo, f(dx, in), batch, time,
                inChannels, outChannels, kernel, dilation, flag(accumulateDx))));
        if (dWeight != null && w > 0) launch(KernelCall.elementwise(Kernel.CONV1D_BACKWARD_DW, w, ints(xo, dyo, f(dWeight, w),
                batch, time, inChannels, outChannels, kernel, dilation, flag(accumulateParams))));
        if (dBias != null && outChannels > 0)
            launch(KernelCall.elementwise(Kernel.REDUCE_COLUMNS, outChannels, ints(ReduceOp.SUM.ordinal(), dyo,
                    f(dBias, outChannels), 1, batch * time, outChannels, flag(accumulateParams))));
    }

    @Override
    public void lstmCell(Storage gates, Storage cPrev, Storage c, Storage h, int batch, int hidden) {
        long n = (long) batch * hidden;
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.LSTM_CELL, n, ints(f(gates, 4 * n), f(cPrev, n), f(c, n), f(h, n), batch, hidden)));
    }

    @Override
    public void lstmCellBackward(Storage gates, Storage cPrev, Storage c, Storage dh, Storage dc, LstmCellGradients grads,
                                 int batch, int hidden) {
        Storage dGates = grads.dGates(), dcPrev = grads.dcPrev();
        boolean accumulateGates = grads.accumulateGates(), accumulateCPrev = grads.accumulateCPrev();
        long n = (long) batch * hidden;
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.LSTM_CELL_BACKWARD, n, ints(f(gates, 4 * n), f(cPrev, n), f(c, n), fOpt(dh, n),
                fOpt(dc, n), f(dGates, 4 * n), fOpt(dcPrev, n), batch, hidden, flag(dh != null), flag(dc != null),
                flag(dcPrev != null), flag(accumulateGates), flag(accumulateCPrev))));
    }
}
