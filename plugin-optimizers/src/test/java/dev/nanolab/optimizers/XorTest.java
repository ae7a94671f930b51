package dev.nanolab.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroupRules;
import dev.nanolab.cpu.CpuBackend;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every optimizer trains a 2-8-2 tanh MLP to solve XOR, with nanoGPT's parameter groups and a fixed seed. */
class XorTest {
    static final int STEPS = 300;
    static CpuBackend be;

    @BeforeAll
    static void start() {
        be = new CpuBackend(2, true);
    }

    @AfterAll
    static void stop() {
        be.close();
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", new Sgd.Factory(new Sgd.Config(0.1, 0.9, 0, true, 0))),
                Arguments.of("rmsprop", new RmsProp.Factory(new RmsProp.Config(0.01, 0.99, 1e-8, 0, false, 0))),
                Arguments.of("rmsprop centered+momentum", new RmsProp.Factory(new RmsProp.Config(0.005, 0.99, 1e-8, 0.5, true, 0))),
                Arguments.of("adam", new Adam.Factory(new Adam.Config(0.03, 0.9, 0.999, 1e-8, 1e-3))),
                Arguments.of("adamw", new AdamW.Factory(new AdamW.Config(0.03, 0.9, 0.95, 1e-8, 0.1))),
                Arguments.of("lion", new Lion.Factory(new Lion.Config(0.01, 0.9, 0.99, 0.1))),
                Arguments.of("muon", new Muon.Factory(new Muon.Config(0.05, 0.95, true, 5, 1e-7, 0, new Muon.Config().fallbackNames(), null),
                        new AdamW.Factory(new AdamW.Config(0.03, 0.9, 0.95, 1e-8, 0)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void solvesXor(String name, OptimizerFactory factory) {
        XorMlp model = new XorMlp(be, 1234);
        Optimizer opt = factory.create(ParamGroupRules.nanoGPT().groups(model.namedParameters(), factory.weightDecay()));
        float first = model.lossAndBackward(), last = first;
        assertThat(model.correct()).as("the untrained model must not already solve XOR").isLessThan(4);
        for (int step = 1; step <= STEPS; step++) {
            if (step > 1) last = model.lossAndBackward();
            opt.step(new OptimizerStep(step, factory.learningRate(), null));
        }
        assertThat(model.correct()).as("%s: points right after %d steps (loss %s → %s)", name, STEPS, first, last).isEqualTo(4);
        assertThat(last).isLessThan(0.2f * first);
    }
}
