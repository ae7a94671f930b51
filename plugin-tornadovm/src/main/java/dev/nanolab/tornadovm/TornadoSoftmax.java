package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.backend.Softmax;
import dev.nanolab.api.backend.Storage;

/** Row softmax (softmax1's extra term, causal masks) and mask filling. */
final class TornadoSoftmax extends Ops implements Softmax {
    TornadoSoftmax(TornadoBackend backend) {
        super(backend);
    }

    @Override
    public void softmax(Storage x, Storage y, int rows, int cols, CausalMask mask, float extraLogit) {
        long n = (long) rows * cols;
        if (n == 0) return;
        boolean m = mask != null;
        launch(KernelCall.rows(Kernel.SOFTMAX, rows, ints(f(x, n), f(y, n), rows, cols, flag(m), m ? mask.queries() : 1,
                m ? mask.keys() : cols, m ? mask.queryOffset() : 0, m ? mask.window() : 0,
                flag(extraLogit != Float.NEGATIVE_INFINITY)), extraLogit == Float.NEGATIVE_INFINITY ? 0f : extraLogit));
    }

    @Override
    public void softmaxBackward(Storage y, Storage dy, Storage dx, int rows, int cols, boolean accumulate) {
        long n = (long) rows * cols;
        if (n == 0) return;
        launch(KernelCall.rows(Kernel.SOFTMAX_BACKWARD, rows, ints(f(y, n), f(dy, n), f(dx, n), rows, cols, flag(accumulate))));
    }

    @Override
    public void maskFill(Storage x, Storage y, int rows, int cols, CausalMask mask, float value) {
        long n = (long) rows * cols;
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.MASK_FILL, n, ints(f(x, n), f(y, n), rows, cols, mask.queries(), mask.keys(),
                mask.queryOffset(), mask.window()), value));
    }

    @Override
    public void maskFillBackward(Storage dy, Storage dx, int rows, int cols, CausalMask mask, boolean accumulate) {
        long n = (long) rows * cols;
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.MASK_FILL_BACKWARD, n, ints(f(dy, n), f(dx, n), rows, cols, mask.queries(),
                mask.keys(), mask.queryOffset(), mask.window(), flag(accumulate))));
    }
}
