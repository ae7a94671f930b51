package dev.nanolab.models.lstm;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One LSTM layer unrolled over time: gates = x·W_ihᵀ + b + h·W_hhᵀ (input, forget, cell, output), then the fused
 * cell. Initialised as PyTorch's {@code nn.LSTM}, uniform(±1/√H), except that the forget gate's bias starts at 1 so
 * the cell remembers by default early in training (Jozefowicz et al., 2015).
 */
final class LstmLayer extends Layer {
    final Linear wIh;
    final Linear wHh;

    LstmLayer(Backend backend, int width, Rng rng) {
        Init init = Init.uniform(rng, (float) (1 / Math.sqrt(width)));
        wIh = child("w_ih", new Linear(backend, width, 4 * width, true, init));
        wHh = child("w_hh", new Linear(backend, width, 4 * width, false, init));
        float[] bias = new float[4 * width];
        for (int j = width; j < 2 * width; j++) bias[j] = 1f;
        wIh.bias().set(bias);
    }

    /** The outputs h of every step (B, T, H), and the state after the last step. */
    record Output(Tensor sequence, F.LstmState last) {}

    /** Runs over x (B, T, H) from {@code start} (null: zero state). */
    Output forward(Tensor x, F.LstmState start) {
        int b = x.dim(0), t = x.dim(1), width = x.dim(2);
        // Time-major inside the layer, so the rows of step i are the contiguous range [i·B, (i+1)·B): a step's gates
        // are one row slice and its output needs no reshape. The input half of every step's gates is one GEMM; only
        // h·W_hhᵀ has to wait for the previous step.
        Tensor gx = wIh.forward(x.permute(1, 0, 2)).view(Shape.of(t * b, 4 * width));
        Tensor h = start == null ? null : start.h();
        Tensor c = start == null ? Tensor.zeros(x.backend(), b, width) : start.c();
        List<Tensor> hs = new ArrayList<>(t);
        for (int i = 0; i < t; i++) {
            Tensor gates = gx.slice(0, i * b, (i + 1) * b);
            if (h != null) gates = gates.add(wHh.forward(h)); // a zero state adds nothing
            F.LstmState s = F.lstmCell(gates, c);
            h = s.h();
            c = s.c();
            hs.add(h);
        }
        Tensor sequence = Tensor.concat(0, hs).view(Shape.of(t, b, width)).permute(1, 0, 2);
        return new Output(emit(sequence), new F.LstmState(h, c));
    }
}
