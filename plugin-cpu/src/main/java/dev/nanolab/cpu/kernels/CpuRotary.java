package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;

import dev.nanolab.api.backend.Rotary;
import dev.nanolab.api.backend.RotaryShape;
import dev.nanolab.api.backend.RowView;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.cpu.parallel.WorkerPool;

/** Rotary position embedding, one (batch, position) row per task; each element computed on its own (any thread count). */
public final class CpuRotary implements Rotary {
    private final WorkerPool pool;

    public CpuRotary(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public void rotate(RowView xv, RowView yv, Storage cosTable, Storage sinTable, RotaryShape s, boolean inverse,
                       boolean accumulate) {
        float[] x = floats(xv.storage()), y = floats(yv.storage()), cos = floats(cosTable), sin = floats(sinTable);
        int half = s.headDim() / 2, rows = s.batch() * s.time();
        float sign = inverse ? -1f : 1f;
        pool.parallelFor(rows, 6L * s.heads() * s.headDim(), CpuPointwise.PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int pos = s.positionOffset() + r % s.time();
                int xo = (int) xv.offset() + r * xv.rowStride(), yo = (int) yv.offset() + r * yv.rowStride();
                for (int h = 0; h < s.heads(); h++) {
                    int xh = xo + h * s.headDim(), yh = yo + h * s.headDim();
                    for (int j = 0; j < half; j++) {
                        float c = cos[pos * half + j], sn = sign * sin[pos * half + j];
                        float a = x[xh + j], b = x[xh + half + j];
                        float ya = a * c + b * sn, yb = b * c - a * sn;
                        if (accumulate) {
                            y[yh + j] += ya;
                            y[yh + half + j] += yb;
                        } else {
                            y[yh + j] = ya;
                            y[yh + half + j] = yb;
                        }
                    }
                }
            }
        });
    }
}
