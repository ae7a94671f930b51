package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Norms;
import dev.nanolab.api.backend.LayerGradients;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.tornadovm.kernels.KNorms;

/** Layer norm and RMS norm; parameter gradients through block partials summed in block order. */
final class TornadoNorms extends Ops implements Norms {
    TornadoNorms(TornadoBackend backend) {
        super(backend);
    }

    @Override
    public void layerNorm(Storage x, Storage weight, Storage bias, Storage y, Storage mean, Storage rstd, int rows,
                          int dim, float eps) {
        long n = (long) rows * dim;
        if (rows == 0) return;
        launch(KernelCall.rows(Kernel.LAYER_NORM, rows, ints(f(x, n), fOpt(weight, dim), fOpt(bias, dim), f(y, n),
                f(mean, rows), f(rstd, rows), rows, dim, flag(weight != null), flag(bias != null)), eps));
    }

    @Override
    public void layerNormBackward(Storage dy, Storage x, Storage weight, Storage mean, Storage rstd, LayerGradients grads,
                                  int rows, int dim) {
        Storage dx = grads.dx(), dWeight = grads.dWeight(), dBias = grads.dBias();
        boolean accumulateDx = grads.accumulateDx(), accumulateParams = grads.accumulateParams();
        long n = (long) rows * dim;
        int dyo = f(dy, n), xo = f(x, n), mo = f(mean, rows), ro = f(rstd, rows);
        launch(KernelCall.rows(Kernel.LAYER_NORM_BACKWARD_DX, rows, ints(dyo, xo, fOpt(weight, dim), mo, ro, f(dx, n),
                rows, dim, flag(weight != null), flag(accumulateDx))));
        if (dWeight == null && dBias == null) return;
        int blocks = (rows + KNorms.BLOCK - 1) / KNorms.BLOCK;
        long part = (long) blocks * dim;
        Storage pw = dWeight == null ? null : scratch(part), pb = dBias == null ? null : scratch(part);
        launch(KernelCall.elementwise(Kernel.LAYER_NORM_PARAM_PARTIALS, part, ints(dyo, xo, mo, ro, rows, dim,
                fOpt(pw, part), fOpt(pb, part), flag(pw != null), flag(pb != null))));
        if (pw != null) sumPartials(pw, dWeight, blocks, dim, accumulateParams);
        if (pb != null) sumPartials(pb, dBias, blocks, dim, accumulateParams);
        if (pb != null) release(pb);
        if (pw != null) release(pw);
    }

    private void sumPartials(Storage part, Storage dst, int blocks, int dim, boolean accumulate) {
        launch(KernelCall.elementwise(Kernel.SUM_PARTIALS, dim, ints(f(part, (long) blocks * dim), f(dst, dim), blocks, dim,
                flag(accumulate))));
    }

    @Override
    public void rmsNorm(Storage x, Storage weight, Storage y, Storage rstd, int rows, int dim, float eps) {
        long n = (long) rows * dim;
        if (rows == 0) return;
        launch(KernelCall.rows(Kernel.RMS_NORM, rows, ints(f(x, n), fOpt(weight, dim), f(y, n), f(rstd, rows), rows, dim,
                flag(weight != null)), eps));
    }

    @Override
    public void rmsNormBackward(Storage dy, Storage x, Storage weight, Storage rstd, LayerGradients grads, int rows, int dim) {
        Storage dx = grads.dx(), dWeight = grads.dWeight();
        boolean accumulateDx = grads.accumulateDx(), accumulateParams = grads.accumulateParams();
        long n = (long) rows * dim;
        int dyo = f(dy, n), xo = f(x, n), ro = f(rstd, rows);
        launch(KernelCall.rows(Kernel.RMS_NORM_BACKWARD_DX, rows, ints(dyo, xo, fOpt(weight, dim), ro, f(dx, n), rows, dim,
                flag(weight != null), flag(accumulateDx))));
        if (dWeight == null) return;
        int blocks = (rows + KNorms.BLOCK - 1) / KNorms.BLOCK;
        long part = (long) blocks * dim;
        Storage pw = scratch(part);
        launch(KernelCall.elementwise(Kernel.RMS_NORM_PARAM_PARTIALS, part, ints(dyo, xo, ro, rows, dim, f(pw, part))));
        sumPartials(pw, dWeight, blocks, dim, accumulateParams);
        release(pw);
    }
}
