package dev.nanolab.api.optim;

import dev.nanolab.api.tensor.Tensor;
import java.util.List;

/**
 * Parameters updated with the same settings.
 *
 * @param name         for logs and checkpoints, e.g. {@code decay} or {@code no_decay}
 * @param params       the tensors (each requires a gradient and has a stable name)
 * @param lrMultiplier this group's learning rate is the schedule's times this
 * @param weightDecay  decoupled weight decay for this group
 */
public record ParamGroup(String name, List<Tensor> params, double lrMultiplier, double weightDecay) {
    public ParamGroup {
        params = List.copyOf(params);
    }
}
