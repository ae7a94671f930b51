package dev.nanolab.models.wavenet;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;

/**
 * A dilated causal convolution over (B, T, Cin), channels last: weight (Cout, Cin, K), bias (Cout). PyTorch's
 * Conv1d init, uniform(±1/√(Cin·K)).
 */
final class CausalConv extends Layer {
    private final Tensor weight;
    private final Tensor bias;
    private final int dilation;

    CausalConv(Backend backend, int in, int out, int kernel, int dilation, Rng rng) {
        Init init = Init.uniform(rng, (float) (1 / Math.sqrt(in * kernel)));
        this.weight = parameter("weight", init.create(backend, out, in, kernel));
        this.bias = parameter("bias", init.create(backend, out));
        this.dilation = dilation;
    }

    Tensor forward(Tensor x) {
        return emit(F.causalConv1d(x, weight, bias, dilation));
    }
}
