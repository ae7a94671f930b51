package dev.nanolab.api.attention;

import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Tensor;

/**
 * One block's attention, made by an {@link AttentionVariant}: a {@link Layer}, so a variant's own parameters (gates,
 * sink logits) are trained and checkpointed with the model.
 */
public abstract class AttentionLayer extends Layer {
    /**
     * The heads' outputs side by side, (B, Tq, C), before the output projection. Ends with {@code emit(...)} so
     * probes see it.
     */
    public abstract Tensor attend(AttentionInputs in);

    /**
     * The attention weights (B, H, Tq, Tk) this layer applies, materialised; for probes, on eval batches only. Rows
     * sum to less than 1 when the normaliser leaves mass out (softmax1).
     */
    public abstract Tensor probabilities(AttentionInputs in);
}
