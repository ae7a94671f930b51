package dev.nanolab.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.optim.LrSchedule;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroupRules;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.optimizers.schedules.WarmupCosine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoint exactness: 10 steps, the state copied out, a fresh model and optimizer rebuilt from the copies, 10 more
 * steps — bit for bit the 20 uninterrupted steps, for every optimizer, with a schedule and on-device gradient clipping
 * (so the clipping factor reaches the kernels through the hyper storage), on the CPU backend.
 */
class ResumeTest {
    static final int STEPS = 20, SAVE_AT = 10;
    static final LrSchedule SCHEDULE = new WarmupCosine(new WarmupCosine.Config(4, 20, 1e-3));
    static CpuBackend be;

    @BeforeAll
    static void start() {
        be = new CpuBackend(2, true);
    }

    @AfterAll
    static void stop() {
        be.close();
    }

    /** How each case builds its optimizer over a model's named parameters. */
    record Case(String name, OptimizerFactory factory, Function<XorMlp, Optimizer> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case plain(String name, OptimizerFactory f) {
        return new Case(name, f, m -> f.create(ParamGroupRules.nanoGPT().groups(m.namedParameters(), f.weightDecay())));
    }

    static Stream<Arguments> cases() {
        OptimizerFactory adamw = new AdamW.Factory(new AdamW.Config(0.03, 0.9, 0.95, 1e-8, 0.1));
        OptimizerFactory lion = new Lion.Factory(new Lion.Config(0.01, 0.9, 0.99, 0.1));
        // Hidden weights to Muon, biases to Lion: a grouping with two optimizers.
        ParamGroupRules routed = new ParamGroupRules(List.of(
                new ParamGroupRules.Rule("matrices", "*.weight", 2, 2, 1.0, null, null),
                new ParamGroupRules.Rule("biases", "*.bias", 0, 1, 2.0, 0.0, "lion")),
                List.of(new dev.nanolab.api.config.ComponentRef<>(dev.nanolab.api.plugin.ComponentKind.OPTIMIZER, "lion",
                        new Lion.Config(0.01, 0.9, 0.99, 0.1))));
        var registry = dev.nanolab.api.plugin.ComponentRegistry.of(new OptimizersPlugin());
        OptimizerFactory muon = new Muon.Factory(new Muon.Config(0.05, 0.95, true, 5, 1e-7, 0.01, List.of(), null), adamw);
        return Stream.of(
                plain("sgd", new Sgd.Factory(new Sgd.Config(0.1, 0.9, 0.1, false, 0.01))),
                plain("rmsprop", new RmsProp.Factory(new RmsProp.Config(0.01, 0.99, 1e-8, 0.5, true, 0.01))),
                plain("adam", new Adam.Factory(new Adam.Config(0.03, 0.9, 0.999, 1e-8, 1e-3))),
                plain("adamw", adamw),
                plain("lion", lion),
                plain("muon", muon),
                new Case("muon + lion by rules", muon, m -> routed.optimizer(m.namedParameters(), muon, registry)))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resumesBitForBit(Case c) {
        // 20 steps uninterrupted, keeping the values at step 10.
        XorMlp model = new XorMlp(be, 42);
        Optimizer opt = c.build().apply(model);
        Map<String, float[]> savedParams = null, savedState = null;
        for (int step = 1; step <= STEPS; step++) {
            train(model, opt, c.factory(), step);
            if (step == SAVE_AT) {
                savedParams = copy(model.namedParameters());
                savedState = copy(opt.state());
            }
        }
        Map<String, float[]> uninterrupted = copy(model.namedParameters());
        assertThat(savedState).isNotEmpty();

        // A fresh model (other initial weights) and optimizer, loaded from the copies, for steps 11-20.
        XorMlp resumed = new XorMlp(be, 7);
        for (var e : resumed.namedParameters().entrySet()) e.getValue().set(savedParams.get(e.getKey()));
        Optimizer fresh = c.build().apply(resumed);
        fresh.loadState(savedState);
        for (int step = SAVE_AT + 1; step <= STEPS; step++) train(resumed, fresh, c.factory(), step);
        Map<String, float[]> afterResume = copy(resumed.namedParameters());
        for (String name : uninterrupted.keySet())
            assertThat(afterResume.get(name)).as(c.name() + ": " + name).isEqualTo(uninterrupted.get(name));

        // The check has teeth: resuming without the optimizer state lands elsewhere.
        XorMlp stateless = new XorMlp(be, 7);
        for (var e : stateless.namedParameters().entrySet()) e.getValue().set(savedParams.get(e.getKey()));
        Optimizer forgetful = c.build().apply(stateless);
        for (int step = SAVE_AT + 1; step <= STEPS; step++) train(stateless, forgetful, c.factory(), step);
        assertThat(copy(stateless.namedParameters()).get("fc1.weight")).isNotEqualTo(uninterrupted.get("fc1.weight"));
    }

    /** One training step with global-norm clipping at 0.5, computed and applied on the device. */
    static void train(XorMlp model, Optimizer opt, OptimizerFactory factory, int step) {
        model.lossAndBackward();
        Tensor sumSq = TensorScope.outside(() -> Tensor.zeros(be, 1)), scale = TensorScope.outside(() -> Tensor.zeros(be, 1));
        boolean first = true;
        for (Tensor p : model.parameters()) {
            be.optimizer().sumOfSquares(p.grad().storage(), p.size(), sumSq.storage(), 0, !first);
            first = false;
        }
        be.optimizer().clipScale(sumSq.storage(), 0, 0.5f, scale.storage(), 0);
        opt.step(new OptimizerStep(step, SCHEDULE.lr(step - 1, factory.learningRate()), scale));
    }

    static Map<String, float[]> copy(Map<String, Tensor> tensors) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) out.put(e.getKey(), e.getValue().toFloatArray());
        return out;
    }
}
