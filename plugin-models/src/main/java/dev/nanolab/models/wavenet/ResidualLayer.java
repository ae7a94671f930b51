package dev.nanolab.models.wavenet;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.LayerNorm;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import java.util.List;

/**
 * One WaveNet layer: a kernel-2 dilated causal convolution to filter and gate channels, the gated activation
 * tanh(filter)·σ(gate), then 1×1 convolutions (linear layers over channels) to the residual stream and to the skip
 * channels. The last layer has no residual projection: nothing reads the stream after it.
 */
final class ResidualLayer extends Layer {
    final LayerNorm ln;
    final CausalConv conv;
    final Linear res;
    final Linear skip;
    private final int channels;

    ResidualLayer(Backend backend, WaveNetConfig c, int dilation, boolean last, Rng rng) {
        channels = c.nEmbd();
        Init init = Init.uniform(rng, (float) (1 / Math.sqrt(channels)));
        ln = c.layerNorm() ? child("ln", new LayerNorm(backend, channels, true)) : null;
        conv = child("conv", new CausalConv(backend, channels, 2 * channels, 2, dilation, rng));
        res = last ? null : child("res", new Linear(backend, channels, channels, true, init));
        skip = child("skip", new Linear(backend, channels, c.skipChannels(), true, init));
    }

    /** The residual stream after this layer (null for the last) and this layer's skip output. */
    record Output(Tensor residual, Tensor skip) {}

    Output forward(Tensor x) {
        List<Tensor> fg = conv.forward(ln == null ? x : ln.forward(x)).split(2, channels, channels);
        Tensor z = emit(fg.get(0).tanh().mul(fg.get(1).sigmoid()));
        return new Output(res == null ? null : x.add(res.forward(z)), skip.forward(z));
    }
}
