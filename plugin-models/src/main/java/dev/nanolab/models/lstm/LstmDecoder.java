package dev.nanolab.models.lstm;

import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;

/**
 * Generation with a carried state: each layer's h and c (B, C) persist between calls, so a new token costs one LSTM
 * step and the context is never cropped.
 */
final class LstmDecoder implements Decoder {
    private final Lstm model;
    private final int batch;
    private final Tensor[] h;
    private final Tensor[] c;
    private boolean started;

    LstmDecoder(Lstm model, int batch) {
        this.model = model;
        this.batch = batch;
        int layers = model.config().nLayer(), width = model.config().nEmbd();
        var be = model.wte.weight().backend();
        h = new Tensor[layers];
        c = new Tensor[layers];
        for (int i = 0; i < layers; i++) {
            h[i] = Tensor.zeros(be, batch, width);
            c[i] = Tensor.zeros(be, batch, width);
        }
    }

    @Override
    public Tensor feed(Tensor ids) {
        Decoder.checkIds(ids, batch);
        int n = ids.dim(1);
        try (GradMode.Scope ignored = GradMode.disabled()) {
            F.LstmState[] state = new F.LstmState[h.length];
            // Before the first token the state is zero: start as training does, so the two agree exactly.
            if (started) for (int i = 0; i < h.length; i++) state[i] = new F.LstmState(h[i], c[i]);
            Tensor y = model.forward(ids, state);
            for (int i = 0; i < h.length; i++) {
                h[i].copyFrom(state[i].h());
                c[i].copyFrom(state[i].c());
            }
            started = true;
            return model.head(y.slice(1, n - 1, n)).view(Shape.of(batch, model.vocabSize()));
        }
    }

    @Override
    public void close() {
        for (Tensor t : h) t.release();
        for (Tensor t : c) t.release();
    }
}
