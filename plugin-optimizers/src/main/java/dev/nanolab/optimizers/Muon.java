package dev.nanolab.optimizers;

import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.MUON_EPS;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.MUON_GRAD_SCALE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.MUON_HYPER_SIZE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.MUON_LR;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.MUON_MOMENTUM;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.MUON_NESTEROV;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.MUON_SUM_OF_SQUARES;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.MUON_UPDATE_SCALE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.MUON_WEIGHT_DECAY;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.DefaultComponent;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.optim.ParamGroupRules;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Muon (Keller Jordan et al. 2024, "MomentUm Orthogonalized by Newton-Schulz"), as in modded-nanogpt and
 * {@code muon.py}: for each 2-D hidden weight matrix W (rows × cols, stored (out, in) as nn.Linear),
 * <pre>
 *   buf = μ·buf + (1−μ)·g          (μ may warm up: momentum_start → momentum over momentum_warmup_steps)
 *   u   = (1−μ)·g + μ·buf          (Nesterov; else u = buf)
 *   O   = NewtonSchulz5(u / (‖u‖_F + eps))
 *   W   = W·(1 − lr·wd) − lr · max(1, rows/cols)^½ · O
 * </pre>
 * The shape factor is modded-nanogpt's / muon.py's {@code max(1, rows/cols)**0.5}: it keeps the update's RMS per
 * input dimension alike for tall (c_fc, c_attn) and wide (c_proj) matrices.
 *
 * <p>Muon is for hidden matrices only. Every other parameter of its groups (biases, norm gains, and 2-D tensors
 * whose names match {@code fallback_names}: the token and position embeddings and the LM head) goes to the fallback
 * optimizer, AdamW by default, keeping its group's lr multiplier and weight decay. The fallback runs on its own
 * base rate, scheduled alike ({@code step.lr() · fallback lr / muon lr}).
 *
 * <p>State: {@code momentum_buffer} per matrix, plus the fallback's state. One hyper block per matrix (its shape
 * factor differs), written with one host transfer per step.
 */
public final class Muon implements Optimizer {
    /** muon.py's defaults (lr 0.02, momentum 0.95 with Nesterov, 5 steps, no weight decay). */
    public record Config(@Doc("base learning rate") @Range(min = 0) double lr,
                         @Doc("momentum μ") @Range(min = 0, max = 1, maxOpen = true) double momentum,
                         @Doc("Nesterov momentum") boolean nesterov,
                         @Doc("Newton-Schulz iterations") @Range(min = 0, max = 20) int nsSteps,
                         @Doc("added to the Frobenius norm before dividing by it") @Range(min = 0) double eps,
                         @Doc("decoupled weight decay, for the groups that decay") @Range(min = 0) double weightDecay,
                         @Doc("globs of 2-D parameters that are not hidden matrices (they go to the fallback)") List<String> fallbackNames,
                         @Doc("the optimizer for embeddings, head, norms and biases") @DefaultComponent("adamw") ComponentRef<OptimizerFactory> fallback,
                         @Doc("momentum at the first step when it warms up (modded-nanogpt: 0.85)") @Range(min = 0, max = 1, maxOpen = true) double momentumStart,
                         @Doc("steps over which momentum rises linearly from momentum_start to momentum; 0 = no warmup (modded-nanogpt: 300)") @Range(min = 0) long momentumWarmupSteps) {
        public Config {
            fallbackNames = List.copyOf(fallbackNames);
        }

        /** Without momentum warmup. */
        public Config(double lr, double momentum, boolean nesterov, int nsSteps, double eps, double weightDecay,
                      List<String> fallbackNames, ComponentRef<OptimizerFactory> fallback) {
            this(lr, momentum, nesterov, nsSteps, eps, weightDecay, fallbackNames, fallback, 0.85, 0);
        }

        /** The defaults; a null fallback (no registry at hand) means AdamW with its defaults. */
        public Config() {
            this(0.02, 0.95, true, 5, 1e-7, 0, List.of("*wte*", "*wpe*", "*lm_head*", "*embed*"), null);
        }

        /**
         * The momentum at optimizer step {@code step} (1-based): modded-nanogpt's warmup, linear from momentum_start
         * at the first step to momentum after momentum_warmup_steps, then constant.
         */
        public double momentumAt(long step) {
            if (momentumWarmupSteps == 0) return momentum;
            double f = Math.min(1.0, (double) (step - 1) / momentumWarmupSteps);
            return (1 - f) * momentumStart + f * momentum;
        }
    }

    /** The component: Muon's config and its fallback, already created. */
    public record Factory(Config config, OptimizerFactory fallback) implements OptimizerFactory {
        @Override
        public double learningRate() {
            return config.lr();
        }

        @Override
        public double weightDecay() {
            return config.weightDecay();
        }

        @Override
        public Optimizer create(List<ParamGroup> groups) {
            return new Muon(config, fallback, groups);
        }
    }

    private record Matrix(Tensor param, Tensor momentumBuffer, int rows, int cols, ParamGroup group) {}

    private final Config config;
    private final List<Matrix> matrices = new ArrayList<>();
    private final Optimizer fallback;
    private final double fallbackLrRatio;
    private final Tensor hyper;
    private final float[] hostHyper;
    private final NewtonSchulz newtonSchulz;

    public Muon(Config config, OptimizerFactory fallback, List<ParamGroup> groups) {
        this.config = config;
        List<ParamGroup> rest = new ArrayList<>();
        List<Tensor> matrixParams = new ArrayList<>();
        List<ParamGroup> matrixGroups = new ArrayList<>();
        for (ParamGroup g : groups) {
            List<Tensor> others = new ArrayList<>();
            for (Tensor p : g.params()) {
                if (isHiddenMatrix(p)) {
                    matrixParams.add(p);
                    matrixGroups.add(g);
                } else others.add(p);
            }
            if (!others.isEmpty()) rest.add(new ParamGroup(g.name(), others, g.lrMultiplier(), g.weightDecay()));
        }
        this.fallback = rest.isEmpty() ? null : fallback.create(rest);
        this.fallbackLrRatio = config.lr() == 0 ? 0 : fallback.learningRate() / config.lr();
        long maxElements = 1, maxGram = 1;
        for (Tensor p : matrixParams) {
            maxElements = Math.max(maxElements, p.size());
            long s = Math.min(p.dim(0), p.dim(1));
            maxGram = Math.max(maxGram, s * s);
        }
        this.hostHyper = new float[Math.max(1, matrixParams.size()) * MUON_HYPER_SIZE];
        if (matrixParams.isEmpty()) {
            hyper = null;
            newtonSchulz = null;
            return;
        }
        Backend be = matrixParams.get(0).backend();
        TensorScope.outside(() -> {
            for (int i = 0; i < matrixParams.size(); i++) {
                Tensor p = matrixParams.get(i);
                matrices.add(new Matrix(p, Tensor.zeros(be, p.shape().dims()), p.dim(0), p.dim(1), matrixGroups.get(i)));
            }
            return null;
        });
        this.hyper = TensorScope.outside(() -> Tensor.zeros(be, hostHyper.length));
        this.newtonSchulz = new NewtonSchulz(be, maxElements, maxGram);
    }

    /** A 2-D parameter whose name matches none of {@code fallback_names}. */
    private boolean isHiddenMatrix(Tensor p) {
        if (p.rank() != 2) return false;
        String name = p.name() == null ? "" : p.name();
        for (String glob : config.fallbackNames())
            if (ParamGroupRules.glob(glob).test(name)) return false;
        return true;
    }

    @Override
    public void step(OptimizerStep step) {
        if (fallback != null) fallback.step(new OptimizerStep(step.step(), step.lr() * fallbackLrRatio, step.gradScale()));
        if (matrices.isEmpty()) return;
        for (int i = 0; i < matrices.size(); i++) {
            Matrix m = matrices.get(i);
            int o = i * MUON_HYPER_SIZE;
            hostHyper[o + MUON_LR] = (float) (step.lr() * m.group().lrMultiplier());
            hostHyper[o + MUON_MOMENTUM] = (float) config.momentumAt(step.step());
            hostHyper[o + MUON_NESTEROV] = config.nesterov() ? 1f : 0f;
            hostHyper[o + MUON_WEIGHT_DECAY] = (float) m.group().weightDecay();
            hostHyper[o + MUON_EPS] = (float) config.eps();
            hostHyper[o + MUON_SUM_OF_SQUARES] = 0f;
            hostHyper[o + MUON_UPDATE_SCALE] = (float) Math.sqrt(Math.max(1.0, (double) m.rows() / m.cols()));
            hostHyper[o + MUON_GRAD_SCALE] = 1f;
        }
        hyper.set(hostHyper);
        Backend be = hyper.backend();
        if (step.gradScale() != null) {
            // One strided copy broadcasts the on-device clipping factor into every matrix's block.
            Tensor s = step.gradScale();
            be.pointwise().copy(s.storage(), s.offset(), new int[] {0}, hyper.storage(), hyper.offset() + MUON_GRAD_SCALE,
                    new int[] {MUON_HYPER_SIZE}, new int[] {matrices.size()}, false);
        }
        FusedOptimizerKernels k = be.extension(FusedOptimizerKernels.class).orElse(null);
        float gradScale = k != null || step.gradScale() == null ? 1f : step.gradScale().item();
        Tensor update = newtonSchulz.input();
        for (int i = 0; i < matrices.size(); i++) {
            Matrix m = matrices.get(i);
            Tensor grad = m.param().grad();
            if (grad == null) continue;
            int ho = (int) hyper.offset() + i * MUON_HYPER_SIZE;
            long n = m.param().size();
            if (k != null) {
                k.muonMomentum(grad.storage(), m.momentumBuffer().storage(), update.storage(), n, hyper.storage(), ho);
                be.optimizer().sumOfSquares(update.storage(), n, hyper.storage(), ho + MUON_SUM_OF_SQUARES, false);
                k.muonNormalize(update.storage(), n, hyper.storage(), ho);
            } else {
                composedMomentum(m, grad.mul(gradScale), update, i * MUON_HYPER_SIZE);
            }
            Tensor orthogonal = newtonSchulz.run(m.rows(), m.cols(), config.nsSteps());
            if (k != null) k.muonUpdate(m.param().storage(), orthogonal.storage(), n, hyper.storage(), ho);
            else composedUpdate(m, orthogonal, i * MUON_HYPER_SIZE);
        }
    }

    /**
     * Without the fused kernels: momentum, Nesterov and the Frobenius normalisation from tensor ops, written into
     * Newton–Schulz's input. {@code o} is the matrix's block in the host hyper-parameters.
     */
    private void composedMomentum(Matrix m, Tensor g, Tensor input, int o) {
        try (GradMode.Scope ng = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
            float mu = hostHyper[o + MUON_MOMENTUM];
            Tensor buf = m.momentumBuffer();
            buf.copyFrom(buf.mul(mu).add(g.mul(1 - mu)));
            Tensor u = hostHyper[o + MUON_NESTEROV] == 1f ? g.mul(1 - mu).add(buf.mul(mu)) : buf;
            float norm = (float) Math.sqrt(u.square().sum().item());
            copy(u.div(Tensor.full(u.backend(), norm + hostHyper[o + MUON_EPS], u.shape().dims())), input);
        }
    }

    /** The first {@code dst.size()} elements of {@code src} into {@code dst} (Newton–Schulz's buffers are sized for the largest matrix). */
    private static void copy(Tensor src, Tensor dst) {
        int n = (int) Math.min(src.size(), dst.size());
        src.backend().pointwise().copy(src.storage(), src.offset(), new int[] {1}, dst.storage(), dst.offset(), new int[] {1},
                new int[] {n}, false);
    }

    /** Without the fused kernels: p = p·(1 − lr·wd) − lr·scale·O, O the first n elements of {@code orthogonal}. */
    private void composedUpdate(Matrix m, Tensor orthogonal, int o) {
        try (GradMode.Scope ng = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
            float lr = hostHyper[o + MUON_LR];
            Tensor p = m.param();
            Tensor ortho = Tensor.empty(p.backend(), p.shape());
            copy(orthogonal, ortho);
            p.copyFrom(p.mul(1 - lr * hostHyper[o + MUON_WEIGHT_DECAY]).sub(ortho.mul(lr * hostHyper[o + MUON_UPDATE_SCALE])));
        }
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Matrix m : matrices) out.put(m.param().name() + ".momentum_buffer", m.momentumBuffer());
        if (fallback != null) out.putAll(fallback.state());
        return out;
    }
}
