package dev.nanolab.attention;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionLayer;
import dev.nanolab.api.attention.AttentionSpec;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.DefaultComponent;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tensor.Tensor;

/**
 * Gated attention: each head's output is multiplied by an input-dependent sigmoid gate,
 * {@code y_h · σ(x·W_g + b_g)}, as in Bondarenko et al. (2023) and Qwen's gated attention (2025). A head can then
 * switch itself off for a token instead of dumping attention on a sink token. The gate is per head (one scalar) or
 * per element (one per channel); the inner variant does the attending.
 */
public final class GatedAttention extends AttentionLayer {
    /** Gate granularity. */
    public enum Granularity { HEAD, ELEMENT }

    /**
     * @param inner       the attention being gated
     * @param granularity one gate per head or per channel
     * @param biasInit    initial gate bias: σ(biasInit) is the gate's starting value
     */
    public record Config(@Doc("the attention being gated") @DefaultComponent("softmax") ComponentRef<AttentionVariant> inner,
                         @Doc("head: one gate per head; element: one per channel") Granularity granularity,
                         @Doc("initial gate bias; sigmoid of it is the starting gate") float biasInit) {
        /** Per-head gates on softmax attention; a null inner (no registry at hand) means softmax. */
        public Config() {
            this(null, Granularity.HEAD, 0f);
        }
    }

    private final AttentionSpec spec;
    private final AttentionLayer inner;
    private final Linear gate;
    private final Granularity granularity;

    GatedAttention(AttentionSpec spec, AttentionLayer inner, Granularity granularity, float biasInit) {
        this.spec = spec;
        this.inner = child("inner", inner);
        this.granularity = granularity;
        int out = granularity == Granularity.HEAD ? spec.nHead() : spec.nEmbd();
        this.gate = child("gate", new Linear(spec.backend(), spec.nEmbd(), out, true, Init.normal(spec.initRng(), 0.02f)));
        if (biasInit != 0f) gate.bias().set(filled(out, biasInit));
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static AttentionVariant variant(Config c, ComponentRegistry registry) {
        AttentionVariant inner = c.inner() == null ? registry.createDefault(dev.nanolab.api.plugin.ComponentKind.ATTENTION, "softmax")
                : c.inner().create(registry);
        return spec -> new GatedAttention(spec, inner.create(spec), c.granularity(), c.biasInit());
    }

    @Override
    public Tensor attend(AttentionInputs in) {
        Tensor y = inner.attend(in);
        Tensor g = gate.forward(in.x()).sigmoid();
        if (granularity == Granularity.ELEMENT) return emit(y.mul(g));
        int b = y.dim(0), t = y.dim(1), h = spec.nHead(), d = spec.headDim();
        return emit(y.reshape(b, t, h, d).mul(g.reshape(b, t, h, 1)).reshape(b, t, h * d));
    }

    @Override
    public Tensor probabilities(AttentionInputs in) {
        return inner.probabilities(in);
    }
}
