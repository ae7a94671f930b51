package dev.nanolab.api.optim;

import dev.nanolab.api.tensor.Tensor;
import java.util.Map;

/**
 * Updates parameters from their gradients. Implementations make one fused pass per parameter tensor, through the
 * backend's {@link dev.nanolab.api.backend.OptimizerKernels}, and allocate their state once.
 */
public interface Optimizer {
    /** Applies one update to every parameter that has a gradient. */
    void step(OptimizerStep step);

    /**
     * The state to checkpoint, by stable name ({@code <param name>.<slot>}, e.g.
     * {@code transformer.wte.weight.exp_avg}); loading it back with {@link #loadState} continues the exact trajectory.
     */
    Map<String, Tensor> state();

    /** Copies saved state into this optimizer's tensors; every name must be known and every shape match. */
    default void loadState(Map<String, float[]> saved) {
        Map<String, Tensor> mine = state();
        if (!mine.keySet().equals(saved.keySet()))
            throw new IllegalArgumentException("optimizer state does not match: expected " + mine.keySet().size()
                    + " tensors, the checkpoint has " + saved.keySet().size() + " (different parameters or optimizer?)");
        for (var e : mine.entrySet()) {
            float[] v = saved.get(e.getKey());
            if (v.length != e.getValue().size())
                throw new IllegalArgumentException("optimizer state " + e.getKey() + " has " + v.length + " values, expected " + e.getValue().size());
            e.getValue().set(v);
        }
    }
}
