package dev.nanolab.optimizers;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;

/** A 2-8-2 tanh MLP on the four XOR points, trained full-batch with cross-entropy. */
final class XorMlp extends Layer {
    static final float[] X = {0, 0, 0, 1, 1, 0, 1, 1};
    static final int[] Y = {0, 1, 1, 0};

    final Linear fc1, fc2;
    private final Tensor x, y;

    XorMlp(Backend be, long seed) {
        Rng rng = new Rng(seed);
        fc1 = child("fc1", new Linear(be, 2, 8, true, Init.normal(rng, 1f)));
        fc2 = child("fc2", new Linear(be, 8, 2, true, Init.normal(rng, 0.5f)));
        x = TensorScope.outside(() -> Tensor.of(be, X, 4, 2));
        y = TensorScope.outside(() -> Tensor.ofInts(be, Y, 4));
        namedParameters(); // names the parameters: fc1.weight, fc1.bias, fc2.weight, fc2.bias
    }

    Tensor logits() {
        return fc2.forward(fc1.forward(x).tanh());
    }

    /** Zeroes the gradients, runs forward and backward, and returns the loss. */
    float lossAndBackward() {
        zeroGrad();
        try (TensorScope s = TensorScope.open()) {
            Tensor loss = F.crossEntropy(logits(), y, -1);
            loss.backward();
            return loss.item();
        }
    }

    /** Points classified right, of 4. */
    int correct() {
        try (TensorScope s = TensorScope.open()) {
            float[] l = logits().toFloatArray();
            int right = 0;
            for (int i = 0; i < 4; i++) if ((l[2 * i + 1] > l[2 * i] ? 1 : 0) == Y[i]) right++;
            return right;
        }
    }
}
