package dev.nanolab.tornadovm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.CapturedStep;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.attention.AttentionPlugin;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.models.ModelsPlugin;
import dev.nanolab.models.gpt.Gpt;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.optimizers.AdamW;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A small GPT trained for 20 steps (AdamW, gradient clipping by global norm, a new batch every step) on the TornadoVM
 * device gives the CPU backend's losses within 1e-4, both eagerly and with the step captured into TaskGraphs.
 */
class GptTrainingTest {
    static final ComponentRegistry REGISTRY = ComponentRegistry.of(new AttentionPlugin(), new ModelsPlugin());
    static final int VOCAB = 37, B = 4, T = 16, STEPS = 20;

    /** What one run produced: the loss of every step and the last step's logits on a fixed batch. */
    record Run(float[] losses, float[] logits, long millisPerStep) {}

    static Run train(Backend be, String attention, float dropout, boolean capture, long dataSeed) {
        AttentionVariant variant = REGISTRY.createDefault(ComponentKind.ATTENTION, attention);
        GptConfig cfg = new GptConfig(2, 4, 32, T, 0, dropout, true, null);
        Gpt model = new Gpt(cfg, variant, new ModelContext(be, VOCAB, REGISTRY, new Rng(3), new Rng(4)));
        List<Tensor> params = model.parameters();
        AdamW opt = new AdamW(new AdamW.Config(3e-3, 0.9, 0.95, 1e-8, 0.1), List.of(new ParamGroup("all", params, 1, 0.1)));
        Tensor x = Tensor.ofInts(be, new int[B * T], B, T), y = Tensor.ofInts(be, new int[B * T], B, T);
        Tensor lossOut = Tensor.zeros(be, 1), sumSq = Tensor.zeros(be, 1), clip = Tensor.zeros(be, 1);
        long[] stepNo = {0};
        Runnable step = () -> {
            try (TensorScope s = TensorScope.open()) {
                model.zeroGrad();
                Tensor loss = model.loss(x, y);
                loss.backward();
                lossOut.copyFrom(loss);
                // Clip the gradient to global norm 1, on the device: the scale goes to AdamW as its grad scale.
                boolean first = true;
                for (Tensor p : params) {
                    if (p.grad() == null) continue;
                    be.optimizer().sumOfSquares(p.grad().storage(), p.size(), sumSq.storage(), 0, !first);
                    first = false;
                }
                be.optimizer().clipScale(sumSq.storage(), 0, 1f, clip.storage(), 0);
                opt.step(new OptimizerStep(stepNo[0], 3e-3, clip));
            }
        };
        CapturedStep run = capture ? be.capture(step) : step::run;
        Rng data = new Rng(dataSeed);
        float[] losses = new float[STEPS];
        long t0 = 0;
        for (int i = 1; i <= STEPS; i++) {
            if (i == 4) t0 = System.nanoTime();
            int[] ids = new int[B * T], targets = new int[B * T];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = data.nextInt(VOCAB);
                targets[j] = (ids[j] * 7 + 3) % VOCAB; // learnable
            }
            x.set(ids);
            y.set(targets);
            stepNo[0] = i;
            run.run();
            losses[i - 1] = lossOut.item();
        }
        long perStep = (System.nanoTime() - t0) / 1_000_000 / (STEPS - 3);
        float[] logits;
        try (TensorScope s = TensorScope.open(); GradMode.Scope g = GradMode.disabled()) {
            model.eval();
            logits = model.logits(x).toFloatArray();
        }
        return new Run(losses, logits, perStep);
    }

    private static void assertClose(String what, Run tvm, Run cpu) {
        System.out.println(what + " cpu      " + Arrays.toString(cpu.losses) + " (" + cpu.millisPerStep + " ms/step)");
        System.out.println(what + " tornado  " + Arrays.toString(tvm.losses) + " (" + tvm.millisPerStep + " ms/step)");
        double worst = 0;
        for (int i = 0; i < STEPS; i++) worst = Math.max(worst, Math.abs(tvm.losses[i] - cpu.losses[i]));
        System.out.printf("%s worst loss difference %.2e%n", what, worst);
        for (int i = 0; i < STEPS; i++)
            assertThat(tvm.losses[i]).as("%s loss at step %d", what, i + 1).isCloseTo(cpu.losses[i], org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(cpu.losses[STEPS - 1]).as("it learns").isLessThan(cpu.losses[0] - 0.3f);
        double worstLogit = 0;
        for (int i = 0; i < cpu.logits.length; i++) worstLogit = Math.max(worstLogit, Math.abs(tvm.logits[i] - cpu.logits[i]));
        assertThat(worstLogit).as("%s logits after training", what).isLessThan(1e-3);
    }

    @Test
    void capturedTrainingMatchesTheCpu() {
        Run cpu, tvm;
        try (CpuBackend be = new CpuBackend(2, false)) {
            cpu = train(be, "softmax", 0f, false, 11);
        }
        try (TornadoBackend be = TornadoBackend.forTests(false)) {
            tvm = train(be, "softmax", 0f, true, 11);
            System.out.println("captured: " + be.stats());
            // Steps 1 and 2 run eagerly and record; from step 3 each step is a few segment executions.
            assertThat(be.capturedSegments()).isBetween(1, 8);
            assertThat(be.capturedCalls()).isGreaterThan(17L * 100);
        }
        assertClose("softmax captured", tvm, cpu);
    }

    /** Logits of a KV-cached decoder fed a prompt and then 12 tokens one at a time (past block_size), concatenated. */
    static float[] decode(Backend be) {
        AttentionVariant variant = REGISTRY.createDefault(ComponentKind.ATTENTION, "softmax");
        Gpt model = new Gpt(new GptConfig(2, 2, 16, 8, 0, 0f, true, null), variant, new ModelContext(be, 11, REGISTRY, new Rng(5), new Rng(6)));
        model.eval();
        float[] all = new float[0];
        try (dev.nanolab.api.model.Decoder d = model.decoder(2); TensorScope s = TensorScope.open()) {
            Rng rng = new Rng(9);
            int[] prompt = new int[2 * 3];
            for (int i = 0; i < prompt.length; i++) prompt[i] = rng.nextInt(11);
            all = concat(all, d.feed(Tensor.ofInts(be, prompt, 2, 3)).toFloatArray());
            for (int step = 0; step < 12; step++) {
                int[] next = {rng.nextInt(11), rng.nextInt(11)};
                all = concat(all, d.feed(Tensor.ofInts(be, next, 2, 1)).toFloatArray());
            }
        }
        return all;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void cachedDecodingMatchesTheCpu() {
        float[] cpu, tvm;
        try (CpuBackend be = new CpuBackend(2, false)) {
            cpu = decode(be);
        }
        try (TornadoBackend be = TornadoBackend.forTests(true)) {
            tvm = decode(be);
        }
        assertThat(tvm).hasSameSizeAs(cpu);
        for (int i = 0; i < cpu.length; i++)
            assertThat(tvm[i]).as("logit %d", i).isCloseTo(cpu[i], org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void eagerTrainingWithDropoutAndSoftmax1MatchesTheCpu() {
        Run cpu, tvm;
        try (CpuBackend be = new CpuBackend(2, false)) {
            cpu = train(be, "softmax1", 0.1f, false, 12);
        }
        try (TornadoBackend be = TornadoBackend.forTests(false)) {
            tvm = train(be, "softmax1", 0.1f, false, 12);
            assertThat(be.capturedSegments()).isZero();
        }
        assertClose("softmax1+dropout eager", tvm, cpu);
    }

    @Test
    void capturedTrainingWithDropoutPicksUpFreshSeedsEveryStep() {
        Run cpu, tvm;
        try (CpuBackend be = new CpuBackend(2, false)) {
            cpu = train(be, "learned-sink", 0.1f, false, 13);
        }
        try (TornadoBackend be = TornadoBackend.forTests(false)) {
            tvm = train(be, "learned-sink", 0.1f, true, 13);
            System.out.println("captured with dropout: " + be.stats());
            assertThat(be.capturedSegments()).isPositive();
        }
        assertClose("learned-sink+dropout captured", tvm, cpu);
    }
}
