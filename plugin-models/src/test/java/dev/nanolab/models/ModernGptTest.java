package dev.nanolab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.models.gpt.Gpt;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.models.modern.ModernGpt;
import dev.nanolab.models.modern.ModernGptConfig;
import dev.nanolab.models.modern.ModernGptConfig.InitScheme;
import dev.nanolab.models.modern.ModernGptConfig.MlpKind;
import dev.nanolab.models.modern.ModernGptConfig.Norm;
import dev.nanolab.models.modern.ModernGptConfig.Rope;
import dev.nanolab.models.modern.ModernGptConfig.Softcap;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * modern-gpt: loss and every gradient against {@link RefModernGpt}; every switch off is nanoGPT's GPT; the KV-cached
 * decoder equals recomputation with rotary positions, windows and documents; it learns; its window grows.
 */
class ModernGptTest {
    static final int V = 7, B = 2, BOUNDARY = 0;

    /** A tiny config by name: every piece on, and two mixes of the alternatives. */
    static ModernGptConfig config(String name) {
        return switch (name) {
            // modded-nanogpt's choices: rms without weight, half-truncated rope, QK-norm, scale 0.12, relu², untied
            // head, 2 value-embedding tables over 4 layers (01 01), U-net skips, x0 lambdas, sigmoid softcap, windows
            // long 6 / short 3 (smaller than the 9 tokens), documents split at token 0.
            case "all-on" -> new ModernGptConfig(4, 2, 8, 9, 0, 0f, false, Norm.RMS, false, true, Rope.HALF_TRUNCATED, 1024,
                    true, 0.12f, MlpKind.RELU2, 0, true, true, InitScheme.MODDED, 2, true, true, Softcap.SIGMOID, 30f,
                    "LS", 6, 0, 0, 1, BOUNDARY, null);
            // rms with a weight, biases, standard rope, SwiGLU, tanh softcap, one value embedding over 3 layers (odd:
            // the middle layer has no skip), softmax1 attention.
            case "alternatives" -> new ModernGptConfig(3, 2, 8, 8, 0, 0f, true, Norm.RMS, true, true, Rope.STANDARD, 100,
                    true, 0f, MlpKind.SWIGLU, 10, true, false, InitScheme.GPT2, 1, true, true, Softcap.TANH, 5f,
                    "SL", 0, 0, 0, 1, BOUNDARY, ref("softmax1"));
            // nanoGPT's layer norm and learned positions with only windows and documents on.
            case "masks-only" -> new ModernGptConfig(2, 2, 8, 8, 0, 0f, true, Norm.LAYER, true, false, Rope.NONE, 1,
                    false, 0f, MlpKind.GELU, 0, false, false, InitScheme.GPT2, 0, false, false, Softcap.NONE, 30f,
                    "S", 4, 0, 0, 1, BOUNDARY, null);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static dev.nanolab.api.config.ComponentRef<AttentionVariant> ref(String attention) {
        return dev.nanolab.api.config.ComponentRef.defaults(GptGradientTest.REGISTRY, ComponentKind.ATTENTION, attention);
    }

    static ModernGpt model(CpuBackend be, ModernGptConfig c, int vocab, long seed) {
        AttentionVariant v = c.attention() == null
                ? GptGradientTest.REGISTRY.createDefault(ComponentKind.ATTENTION, "softmax")
                : c.attention().create(GptGradientTest.REGISTRY);
        return new ModernGpt(c, v, new ModelContext(be, vocab, GptGradientTest.REGISTRY, new Rng(seed), new Rng(seed + 1)));
    }

    /** Random ids with boundary tokens where documents should start mid-sequence. */
    static int[][] ids(Rng rng, int t, boolean boundaries) {
        int[][] ids = new int[B][t];
        for (int b = 0; b < B; b++)
            for (int i = 0; i < t; i++) ids[b][i] = 1 + rng.nextInt(V - 1);
        if (boundaries) {
            ids[0][3] = BOUNDARY;
            ids[1][0] = BOUNDARY;
            ids[1][t - 2] = BOUNDARY;
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-on", "alternatives", "masks-only"})
    void lossAndEveryGradientMatchTheDoubleReference(String name) {
        ModernGptConfig c = config(name);
        Rng rng = new Rng(name.hashCode());
        int t = c.blockSize();
        int[][] ids = ids(rng, t, true), targets = ids(rng, t, false);
        try (CpuBackend be = new CpuBackend(2, true); TensorScope scope = TensorScope.open()) {
            ModernGpt model = model(be, c, V, 1);
            Map<String, double[]> params = GptGradientTest.setRandomParameters(model, rng,
                    n -> n.endsWith("ln_1.weight") || n.endsWith("ln_2.weight") || n.endsWith("ln_f.weight") || n.endsWith("norm.weight"));
            RefModernGpt ref = new RefModernGpt(c, V,
                    c.attention() != null && c.attention().name().equals("softmax1") ? 0 : Double.NEGATIVE_INFINITY);
            Tensor x = Tensor.ofInts(be, GptGradientTest.flat(ids), B, t), y = Tensor.ofInts(be, GptGradientTest.flat(targets), B, t);
            GptGradientTest.assertLossAndGradientsMatch(name, model, x, y, params, () -> ref.loss(params, ids, targets));
        }
    }

    @Test
    void parameterNamesFollowModdedNanogpt() {
        try (CpuBackend be = new CpuBackend(1, false)) {
            ModernGpt m = model(be, config("all-on"), V, 1);
            assertThat(m.namedParameters().keySet()).contains("embed.weight", "value_embeds.0.weight", "value_embeds.1.weight",
                    "blocks.0.attn.qkv_w", "blocks.0.attn.lambdas", "blocks.0.attn.c_proj.weight", "blocks.0.lambdas",
                    "blocks.3.mlp.c_fc.weight", "blocks.3.mlp.c_proj.weight", "skip_weights", "lm_head.weight")
                    .doesNotContain("wpe.weight", "blocks.0.ln_1.weight");
            // modded-nanogpt's initial values: lambdas (1, 0) and (0.5, 0.5), skip weights 1, zero head and projections.
            assertThat(m.namedParameters().get("blocks.1.lambdas").toFloatArray()).containsExactly(1f, 0f);
            assertThat(m.namedParameters().get("blocks.1.attn.lambdas").toFloatArray()).containsExactly(0.5f, 0.5f);
            assertThat(m.namedParameters().get("skip_weights").toFloatArray()).containsExactly(1f, 1f);
            for (String zero : new String[] {"lm_head.weight", "blocks.2.attn.c_proj.weight", "blocks.2.mlp.c_proj.weight"})
                for (float v : m.namedParameters().get(zero).toFloatArray()) assertThat(v).as(zero).isZero();
        }
    }

    /**
     * Every switch off is nanoGPT's GPT: with the same weights (copied by name) both give the same loss and the same
     * gradients on the same batch.
     */
    @ParameterizedTest
    @ValueSource(strings = {"softmax", "softmax1"})
    void everySwitchOffIsNanoGptsGpt(String attention) {
        int l = 2, h = 2, c = 16, t = 12, vocab = 11;
        try (CpuBackend be = new CpuBackend(2, true); TensorScope scope = TensorScope.open()) {
            AttentionVariant v = GptGradientTest.REGISTRY.createDefault(ComponentKind.ATTENTION, attention);
            Gpt gpt = new Gpt(new GptConfig(l, h, c, t, 0, 0f, true, null), v,
                    new ModelContext(be, vocab, GptGradientTest.REGISTRY, new Rng(3), new Rng(4)));
            ModernGpt modern = model(be, ModernGptConfig.nanoGpt(l, h, c, t, 0f, true, ref(attention)), vocab, 99);
            Map<String, Tensor> mine = modern.namedParameters();
            assertThat(mine).hasSameSizeAs(gpt.namedParameters());
            gpt.namedParameters().forEach((name, p) -> {
                Tensor target = mine.get(modernName(name));
                assertThat(target).as("modern-gpt has a parameter for %s (%s)", name, modernName(name)).isNotNull();
                target.set(p.toFloatArray());
            });
            Rng rng = new Rng(5);
            int[] ids = new int[B * t], targets = new int[B * t];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = rng.nextInt(vocab);
                targets[i] = rng.nextInt(vocab);
            }
            Tensor x = Tensor.ofInts(be, ids, B, t), y = Tensor.ofInts(be, targets, B, t);
            Tensor a = gpt.loss(x, y), b = modern.loss(x, y);
            assertThat(b.item()).as("loss").isEqualTo(a.item());
            a.backward();
            b.backward();
            gpt.namedParameters().forEach((name, p) ->
                    assertThat(mine.get(modernName(name)).grad().toFloatArray()).as("gradient of %s", name)
                            .containsExactly(p.grad().toFloatArray(), Offset.offset(1e-6f)));
        }
    }

    /** nanoGPT's parameter name → modern-gpt's. */
    static String modernName(String gpt) {
        return gpt.replace("transformer.wte.", "embed.").replace("transformer.wpe.", "wpe.").replace("transformer.h.", "blocks.")
                .replace("transformer.ln_f.", "ln_f.").replace("attn.c_attn.weight", "attn.qkv_w").replace("attn.c_attn.bias", "attn.qkv_b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-on", "alternatives", "masks-only"})
    void cachedDecoderMatchesRecomputationTokenForToken(String name) {
        ModernGptConfig c = config(name);
        try (CpuBackend be = new CpuBackend(2, false)) {
            ModernGpt model = model(be, c, V, 5);
            // Random weights everywhere (the zero-initialised head and projections would make every logit equal).
            GptGradientTest.setRandomParameters(model, new Rng(8), n -> n.endsWith("weight") && n.contains("ln_"));
            model.eval();
            for (int batch : new int[] {1, 3}) {
                try (Decoder cached = model.decoder(batch); Decoder plain = model.recomputingDecoder(batch);
                     TensorScope s = TensorScope.open()) {
                    Rng rng = new Rng(batch);
                    int[] prompt = new int[batch * 4];
                    for (int i = 0; i < prompt.length; i++) prompt[i] = rng.nextInt(V);
                    prompt[1] = BOUNDARY;
                    Tensor p = Tensor.ofInts(be, prompt, batch, 4);
                    assertThat(cached.feed(p).toFloatArray()).containsExactly(plain.feed(p).toFloatArray(), Offset.offset(2e-5f));
                    // 3·block_size more tokens, greedy from the cached logits, with boundaries: past block_size, where both crop.
                    int[] next = new int[batch];
                    float[] last = null;
                    for (int step = 0; step < 3 * c.blockSize(); step++) {
                        for (int i = 0; i < batch; i++) next[i] = step % 5 == 2 ? BOUNDARY : last == null ? 1 : argmax(last, i);
                        Tensor n = Tensor.ofInts(be, next, batch, 1);
                        float[] a = cached.feed(n).toFloatArray(), bb = plain.feed(n).toFloatArray();
                        assertThat(a).as("%s batch %d step %d", name, batch, step).containsExactly(bb, Offset.offset(2e-5f));
                        last = a;
                    }
                }
            }
        }
    }

    static int argmax(float[] logits, int row) {
        int best = 0;
        for (int j = 1; j < V; j++) if (logits[row * V + j] > logits[row * V + best]) best = j;
        return best;
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-on", "alternatives"})
    void overfitsOneBatch(String name) {
        ModernGptConfig c = config(name);
        Rng rng = new Rng(7);
        int t = c.blockSize();
        try (CpuBackend be = new CpuBackend(2, false)) {
            ModernGpt model = model(be, c, V, 3);
            int[][] ids = ids(rng, t, true), targets = new int[B][t];
            // A task the masks leave solvable: the sum of this token and the previous one in its document.
            for (int b = 0; b < B; b++)
                for (int i = 0; i < t; i++)
                    targets[b][i] = (ids[b][i] + (i == 0 || ids[b][i] == BOUNDARY ? 0 : ids[b][i - 1])) % V;
            Tensor x = Tensor.ofInts(be, GptGradientTest.flat(ids), B, t), y = Tensor.ofInts(be, GptGradientTest.flat(targets), B, t);
            float[] firstLast = GptBehaviourTest.overfit(model, x, y, 1e-2);
            assertThat(firstLast[0]).as(name + " starts near ln(vocab)").isBetween(1.5f, 2.5f);
            assertThat(firstLast[1]).as(name + " memorises the batch").isLessThan(0.05f);
        }
    }

    @Test
    void windowsGrowWithTrainingPassesOnlyAndTheStepIsCheckpointed() {
        // long window grows 2 → 8 over 6 passes in blocks of 2; pattern LS: layer 1 gets half.
        ModernGptConfig c = new ModernGptConfig(2, 2, 8, 8, 0, 0f, false, Norm.RMS, false, true, Rope.HALF_TRUNCATED, 1024,
                true, 0f, MlpKind.RELU2, 0, false, false, InitScheme.MODDED, 0, false, false, Softcap.NONE, 30f,
                "LS", 0, 2, 6, 2, -1, null);
        try (CpuBackend be = new CpuBackend(1, false); TensorScope s = TensorScope.open()) {
            ModernGpt model = model(be, c, V, 1);
            Tensor x = Tensor.ofInts(be, new int[8], 1, 8);
            assertThat(model.namedBuffers()).containsKey("window_step");
            model.logits(x);
            model.logits(x);
            try (GradMode.Scope ng = GradMode.disabled()) {
                model.logits(x); // no gradients: not a training pass
            }
            model.eval();
            model.logits(x); // evaluation: not a training pass
            assertThat(model.namedBuffers().get("window_step").item()).isEqualTo(2f);
        }
    }

    @Test
    void badSwitchesAreOneLineErrorsNamingTheKey() {
        assertThatThrownBy(() -> new ModernGptConfig(2, 2, 8, 8, 0, 0f, false, Norm.RMS, false, true, Rope.HALF_TRUNCATED, 1024,
                true, 0f, MlpKind.RELU2, 0, false, false, InitScheme.MODDED, 2, false, false, Softcap.NONE, 30f, "", 0, 0, 0, 1, -1, null))
                .hasMessageContaining("model.value_embeds 2").hasMessageContaining("n_layer 2");
        assertThatThrownBy(() -> new ModernGptConfig(2, 2, 8, 8, 0, 0f, false, Norm.RMS, false, true, Rope.HALF_TRUNCATED, 1024,
                true, 0f, MlpKind.RELU2, 0, false, false, InitScheme.MODDED, 0, false, false, Softcap.NONE, 30f, "LX", 0, 0, 0, 1, -1, null))
                .hasMessageContaining("model.window_pattern 'LX'");
        assertThatThrownBy(() -> new ModernGptConfig(2, 2, 12, 8, 0, 0f, false, Norm.RMS, false, true, Rope.HALF_TRUNCATED, 1024,
                true, 0f, MlpKind.RELU2, 0, false, false, InitScheme.MODDED, 0, false, false, Softcap.NONE, 30f, "", 0, 0, 0, 1, -1, null))
                .hasMessageContaining("model.rope=half-truncated").hasMessageContaining("head size divisible by 4, got 6");
    }
}
