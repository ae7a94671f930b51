package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.backend.Softmax;
import dev.nanolab.api.backend.Storage;

/** Row softmax (softmax1's extra term, causal masks with windows and documents) and mask filling. */
final class TornadoSoftmax extends Ops implements Softmax {
    TornadoSoftmax(TornadoBackend backend) {
        super(backend);
    }

    /** Int-arena index of the mask's document starts, (B, queries) for rows = B·heads·queries score rows; 0 for none. */
    private int docs(CausalMask mask, int rows) {
        if (mask == null || mask.documentStarts() == null) return 0;
        long batch = ((long) rows + (long) mask.heads() * mask.queries() - 1) / ((long) mask.heads() * mask.queries());
        return i(mask.documentStarts(), 0, batch * mask.queries());
    }

    @Override
    public void softmax(Storage x, Storage y, int rows, int cols, CausalMask mask, float extraLogit) {
        long n = (long) rows * cols;
        if (n == 0) return;
        boolean m = mask != null;
        launch(KernelCall.rows(Kernel.SOFTMAX, rows, ints(f(x, n), f(y, n), rows, cols, flag(m), m ? mask.queries() : 1,
                m ? mask.keys() : cols, m ? mask.queryOffset() : 0, m ? mask.window() : 0,
                flag(extraLogit != Float.NEGATIVE_INFINITY), flag(m && mask.documentStarts() != null), docs(mask, rows),
                m ? mask.heads() : 1), extraLogit == Float.NEGATIVE_INFINITY ? 0f : extraLogit));
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
                mask.queryOffset(), mask.window(), flag(mask.documentStarts() != null), docs(mask, rows), mask.heads()), value));
    }

    @Override
    public void maskFillBackward(Storage dy, Storage dx, int rows, int cols, CausalMask mask, boolean accumulate) {
        long n = (long) rows * cols;
        if (n == 0) return;
        launch(KernelCall.elementwise(Kernel.MASK_FILL_BACKWARD, n, ints(f(dy, n), f(dx, n), rows, cols, mask.queries(),
                mask.keys(), mask.queryOffset(), mask.window(), flag(accumulate), flag(mask.documentStarts() != null),
                docs(mask, rows), mask.heads())));
    }
}
