package dev.nanolab.optimizers;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frame every elementwise optimizer shares: state buffers per parameter (allocated once, outside any scope,
 * zero-initialised as in PyTorch), one small hyper-parameter storage per group written before each step, and one
 * fused kernel call per parameter that has a gradient. A subclass says which buffers it keeps, fills the hyper block
 * and calls its kernel.
 *
 * <p>Nothing else is kept: step counts (bias corrections, SGD's first step) come from {@link OptimizerStep#step()},
 * so {@link #state()} is everything a checkpoint needs to continue the exact trajectory.
 */
abstract class FusedOptimizer implements Optimizer {
    /** A parameter and its state buffers, indexed as the subclass's slot names (null where a slot is not kept). */
    protected record ParamState(Tensor param, Tensor[] buffers) {}

    private final List<ParamGroup> groups;
    private final List<String> slotNames;
    private final int gradScaleSlot;
    private final float[] hostHyper;
    private final List<List<ParamState>> states = new ArrayList<>();
    /** One hyper block per group; null for a group with no parameters. */
    private final List<Tensor> hyper = new ArrayList<>();

    /**
     * @param hyperSize     the size of this optimizer's hyper block
     * @param gradScaleSlot where in the block the kernel reads the gradient scale
     * @param slotNames     the state buffers per parameter, by checkpoint slot name; a null name is a slot this
     *                      configuration does not keep (its buffer is null)
     */
    protected FusedOptimizer(List<ParamGroup> groups, int hyperSize, int gradScaleSlot, String... slotNames) {
        this.groups = List.copyOf(groups);
        this.slotNames = Arrays.asList(slotNames.clone());
        this.gradScaleSlot = gradScaleSlot;
        this.hostHyper = new float[hyperSize];
        TensorScope.outside(() -> {
            for (ParamGroup g : this.groups) {
                List<ParamState> s = new ArrayList<>();
                for (Tensor p : g.params()) {
                    Tensor[] buffers = new Tensor[this.slotNames.size()];
                    for (int i = 0; i < buffers.length; i++)
                        if (this.slotNames.get(i) != null) buffers[i] = Tensor.zeros(p.backend(), p.shape().dims());
                    s.add(new ParamState(p, buffers));
                }
                states.add(s);
                hyper.add(g.params().isEmpty() ? null : Tensor.zeros(g.params().get(0).backend(), hyperSize));
            }
            return null;
        });
    }

    /** Writes this step's hyper-parameters for one group into {@code block} (its gradient-scale slot is set after). */
    protected abstract void writeHyper(OptimizerStep step, ParamGroup group, float[] block);

    /** Runs the backend's fused kernel on one parameter. */
    protected abstract void update(FusedOptimizerKernels kernels, ParamState state, Tensor grad, Tensor hyper);

    /**
     * The same update composed from tensor ops, for a backend without the fused kernels: {@code h} is this group's
     * hyper block on the host, its gradient-scale slot holding the clipping factor. Runs without autograd, inside a
     * scope that frees its temporaries; the results are copied into the parameter and its buffers.
     */
    protected abstract void composedUpdate(ParamState state, Tensor grad, float[] h);

    @Override
    public final void step(OptimizerStep step) {
        for (int gi = 0; gi < groups.size(); gi++) {
            Tensor h = hyper.get(gi);
            if (h == null) continue;
            writeHyper(step, groups.get(gi), hostHyper);
            hostHyper[gradScaleSlot] = 1f;
            h.set(hostHyper);
            Backend be = h.backend();
            if (step.gradScale() != null) {
                // The clipping factor stays on the device: copied, never read back.
                Tensor s = step.gradScale();
                be.pointwise().copy(s.storage(), s.offset(), new int[] {1}, h.storage(), h.offset() + gradScaleSlot,
                        new int[] {1}, new int[] {1}, false);
            }
            FusedOptimizerKernels kernels = be.extension(FusedOptimizerKernels.class).orElse(null);
            if (kernels == null) hostHyper[gradScaleSlot] = step.gradScale() == null ? 1f : step.gradScale().item();
            for (ParamState s : states.get(gi)) {
                Tensor grad = s.param().grad();
                if (grad == null) continue;
                if (kernels != null) update(kernels, s, grad, h);
                else
                    try (GradMode.Scope ng = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
                        composedUpdate(s, grad, hostHyper);
                    }
            }
        }
    }

    @Override
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (List<ParamState> group : states)
            for (ParamState s : group)
                for (int i = 0; i < slotNames.size(); i++)
                    if (slotNames.get(i) != null) out.put(s.param().name() + "." + slotNames.get(i), s.buffers()[i]);
        return out;
    }

    /** sign(x) exactly, for every float (0 stays 0): two scalings carry even subnormals past ±1, the clamp cuts. */
    static Tensor sign(Tensor x) {
        return x.mul(0x1p127f).mul(0x1p24f).clamp(-1f, 1f);
    }

    /** A slot name when {@code kept}, else null (the slot is not allocated). */
    protected static String keptIf(boolean kept, String slot) {
        return kept ? slot : null;
    }
}
