package dev.nanolab.api.probe;

import dev.nanolab.api.nn.Layer;
import java.util.Objects;
import java.util.Optional;

/**
 * What a probe sees at one evaluation.
 *
 * @param iteration  the iteration being evaluated (the number of optimizer steps taken so far)
 * @param model      the model, in eval mode during the batches: {@link Layer#namedLayers()} gives dotted paths
 *                   such as {@code transformer.h.0.attn}, {@link Layer#namedParameters()} the parameters
 * @param lastUpdate the optimizer step that ran just before this evaluation, when one ran in this process (absent
 *                   at iteration 0 and at the first evaluation after a resume)
 */
public record ProbeContext(long iteration, Layer model, Optional<LastUpdate> lastUpdate) {
    public ProbeContext {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(lastUpdate, "lastUpdate");
    }
}
