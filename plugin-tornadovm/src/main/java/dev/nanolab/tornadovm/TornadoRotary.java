package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Rotary;
import dev.nanolab.api.backend.RotaryShape;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.Storage;

/** Rotary position embedding (KRotary): one launch, a thread per channel pair. */
final class TornadoRotary extends Ops implements Rotary {
    TornadoRotary(TornadoBackend backend) {
        super(backend);
    }

    @Override
    public void rotate(RowView x, RowView y, Storage cos, Storage sin, RotaryShape s, boolean inverse, boolean accumulate) {
        int rows = s.batch() * s.time(), half = s.headDim() / 2, width = s.heads() * s.headDim();
        long pairs = (long) rows * s.heads() * half;
        long xSpan = (long) (rows - 1) * x.rowStride() + width, ySpan = (long) (rows - 1) * y.rowStride() + width;
        long table = (long) (s.positionOffset() + s.time()) * half;
        launch(KernelCall.elementwise(Kernel.ROTARY, pairs, ints(f(x.storage(), x.offset(), xSpan), x.rowStride(),
                f(y.storage(), y.offset(), ySpan), y.rowStride(), f(cos, table), f(sin, table), s.time(), s.heads(),
                s.headDim(), s.positionOffset(), flag(inverse), flag(accumulate), intSize(pairs, "pairs"))));
    }
}
