package dev.nanolab.api.probe;

import dev.nanolab.api.tensor.Tensor;
import java.util.Map;
import java.util.Optional;

/**
 * The optimizer step that ran just before an evaluation: its parameters after the update (the model's own tensors),
 * its gradients (still in place until the next step zeroes them; before clipping, summed over micro-batches as the
 * optimizer saw them), and, when a probe asked for them, host copies of the parameters before the update.
 */
public interface LastUpdate {
    /** The iteration of that step (the evaluation's iteration minus one). */
    long iteration();

    /** The model's parameters by name, as they are now: after the update. */
    Map<String, Tensor> parameters();

    /** The parameter's values before the update; present only when a probe {@link Probe#needsPreviousParameters() needs them}. */
    Optional<float[]> before(String name);

    /** The parameter's gradient from that step, or empty when none reached it. */
    default Optional<Tensor> gradient(String name) {
        Tensor p = parameters().get(name);
        return p == null ? Optional.empty() : Optional.ofNullable(p.grad());
    }
}
