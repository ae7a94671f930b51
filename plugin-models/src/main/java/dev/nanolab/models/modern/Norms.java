package dev.nanolab.models.modern;

import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.nn.LayerNorm;
import dev.nanolab.api.nn.RMSNorm;
import dev.nanolab.api.tensor.Tensor;

/** The config's normalisation: nanoGPT's layer norm, or an RMS norm with or without a learned scale. */
final class Norms {
    static final float RMS_EPS = 1e-6f;

    private Norms() {}

    static Layer create(Parts p) {
        ModernGptConfig c = p.config();
        return c.norm() == ModernGptConfig.Norm.LAYER
                ? new LayerNorm(p.backend(), c.nEmbd(), c.bias())
                : new RMSNorm(p.backend(), c.nEmbd(), c.normWeight(), RMS_EPS);
    }

    static Tensor apply(Layer norm, Tensor x) {
        return norm instanceof LayerNorm ln ? ln.forward(x) : ((RMSNorm) norm).forward(x);
    }
}
