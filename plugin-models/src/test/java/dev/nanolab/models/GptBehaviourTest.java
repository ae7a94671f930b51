package dev.nanolab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionSpec;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.models.gpt.Gpt;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.optimizers.AdamW;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a GPT must do beyond exact gradients: learn, decode with a cache, count parameters like nanoGPT. */
class GptBehaviourTest {
    private static Gpt gpt(CpuBackend be, GptConfig cfg, AttentionVariant v, int vocab, long seed) {
        return new Gpt(cfg, v, new ModelContext(be, vocab, GptGradientTest.REGISTRY, new Rng(seed), new Rng(seed + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "softmax1", "sliding-window", "learned-sink", "clipped-softmax", "gated"})
    void everyVariantOverfitsOneBatch(String name) {
        AttentionVariant v = GptGradientTest.variant(name).variant();
        int vocab = 13, b = 4, t = 16;
        Rng rng = new Rng(7);
        int[] ids = new int[b * t], targets = new int[b * t];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(vocab);
            targets[i] = rng.nextInt(vocab);
        }
        try (CpuBackend be = new CpuBackend(2, false)) {
            Gpt model = gpt(be, new GptConfig(2, 4, 32, t, 0, 0f, true, null), v, vocab, 3);
            Tensor x = Tensor.ofInts(be, ids, b, t), y = Tensor.ofInts(be, targets, b, t);
            float[] firstLast = overfit(model, x, y, 3e-3);
            assertThat(firstLast[0]).as(name + " starts near ln(vocab)").isBetween(1.5f, 4f);
            assertThat(firstLast[1]).as(name + " memorises the batch").isLessThan(0.05f);
        }
    }

    /** Trains on one batch for 300 AdamW steps at a constant lr; the losses of the first and last steps. */
    static float[] overfit(LanguageModel model, Tensor x, Tensor y, double lr) {
        Optimizer opt = new AdamW(new AdamW.Config(lr, 0.9, 0.99, 1e-8, 0), List.of(new ParamGroup("all", model.parameters(), 1, 0)));
        float first = Float.NaN, last = Float.NaN;
        for (int step = 1; step <= 300; step++) {
            try (TensorScope s = TensorScope.open()) {
                model.zeroGrad();
                Tensor loss = model.loss(x, y);
                loss.backward();
                last = loss.item();
                if (step == 1) first = last;
                opt.step(new OptimizerStep(step, lr, null));
            }
        }
        return new float[] {first, last};
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "softmax1", "sliding-window", "clipped-softmax", "gated"})
    void cachedDecoderMatchesRecomputingDecoderPastBlockSize(String name) {
        AttentionVariant v = GptGradientTest.variant(name).variant();
        try (CpuBackend be = new CpuBackend(2, false)) {
            Gpt model = gpt(be, new GptConfig(2, 2, 16, 8, 0, 0f, true, null), v, 11, 5);
            model.eval();
            // 20 tokens after the prompt: well past block_size 8, where both crop the context.
            DecoderCheck.cachedMatchesRecomputed(name, model, be, 11, 20, 1e-5f);
        }
    }

    @Test
    void softmax1LeavesMassOutAndSoftmaxDoesNot() {
        try (CpuBackend be = new CpuBackend(1, true); TensorScope s = TensorScope.open(); GradMode.Scope ng = GradMode.disabled()) {
            int b = 1, t = 5, c = 8, h = 2;
            AttentionSpec spec = new AttentionSpec(be, c, h, t, 0f, true, new Rng(1), new Rng(2));
            var softmax = GptGradientTest.REGISTRY.createDefault(ComponentKind.ATTENTION, "softmax").create(spec);
            var softmax1 = GptGradientTest.REGISTRY.createDefault(ComponentKind.ATTENTION, "softmax1").create(spec);
            for (float scale : new float[] {0.5f, -30f, -300f}) {
                // q = scale·1, k = 1: every score is scale·(head size)/√(head size); very negative when scale is.
                float[] ones = new float[b * t * c];
                java.util.Arrays.fill(ones, 1f);
                float[] q = ones.clone();
                for (int i = 0; i < q.length; i++) q[i] = scale;
                Tensor qt = Tensor.of(be, q, b, t, c), kt = Tensor.of(be, ones, b, t, c);
                AttentionInputs in = AttentionInputs.split(qt, qt, kt, kt);
                float[] p0 = softmax.probabilities(in).sum(-1, false).toFloatArray();
                float[] p1 = softmax1.probabilities(in).sum(-1, false).toFloatArray();
                for (float m : p0) assertThat(m).as("softmax row mass at scale " + scale).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
                for (float m : p1) {
                    assertThat(m).as("softmax1 row mass at scale " + scale).isLessThan(1f).isGreaterThanOrEqualTo(0f);
                    if (scale < -1) assertThat(m).as("softmax1 mass falls toward 0 for very negative scores").isLessThan(1e-6f);
                }
            }
        }
    }

    @Test
    void parameterCountMatchesNanoGptShakespeareChar() {
        // nanoGPT prints "number of parameters: 10.65M" for train_shakespeare_char.py (6x6x384, block 256, vocab 65,
        // bias False): position embeddings excluded, tied head counted once.
        try (CpuBackend be = new CpuBackend(2, false)) {
            Gpt model = gpt(be, new GptConfig(6, 6, 384, 256, 0, 0.2f, false, null),
                    GptGradientTest.REGISTRY.createDefault(ComponentKind.ATTENTION, "softmax"), 65, 1);
            assertThat(model.reportedParameterCount()).isEqualTo(10_646_784L);
            assertThat(String.format("%.2fM", model.reportedParameterCount() / 1e6)).isEqualTo("10.65M");
            assertThat(model.namedParameters()).containsKey("transformer.h.5.mlp.c_proj.weight").doesNotContainKey("lm_head.weight");
        }
    }

    @Test
    void sequencesLongerThanBlockSizeAreRejected() {
        try (CpuBackend be = new CpuBackend(1, false); TensorScope s = TensorScope.open()) {
            Gpt model = gpt(be, new GptConfig(1, 1, 8, 4, 0, 0f, true, null), GptGradientTest.variant("softmax").variant(), 5, 1);
            assertThatThrownBy(() -> model.logits(Tensor.ofInts(be, new int[5], 1, 5)))
                    .hasMessageContaining("5 tokens").hasMessageContaining("block_size is only 4");
        }
    }
}
