package dev.nanolab.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.attention.AttentionPlugin;
import dev.nanolab.attention.ClippedSoftmax;
import dev.nanolab.attention.Normaliser;
import dev.nanolab.attention.SlidingWindow;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.models.gpt.Gpt;
import dev.nanolab.models.gpt.GptConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tiny GPT's loss and every parameter gradient, per attention variant, against {@link RefGpt}: loss compared
 * directly, gradients against central finite differences of the double-precision reference.
 */
class GptGradientTest {
    static final ComponentRegistry REGISTRY = ComponentRegistry.of(new AttentionPlugin(), new ModelsPlugin());
    static final int L = 2, H = 2, C = 8, T = 6, V = 7, B = 2;

    record Case(AttentionVariant variant, RefGpt ref) {}

    static Case variant(String name) {
        return switch (name) {
            case "softmax" -> new Case(REGISTRY.createDefault(ComponentKind.ATTENTION, "softmax"),
                    new RefGpt(L, H, C, V, true, 0, (s, n, l, h, p) -> RefGpt.softmax(s, n, Double.NEGATIVE_INFINITY), false));
            case "softmax1" -> new Case(REGISTRY.createDefault(ComponentKind.ATTENTION, "softmax1"),
                    new RefGpt(L, H, C, V, true, 0, (s, n, l, h, p) -> RefGpt.softmax(s, n, 0), false));
            case "sliding-window" -> new Case(REGISTRY.spec(ComponentKind.ATTENTION, "sliding-window").create(new SlidingWindow.Config(3, Normaliser.SOFTMAX1)),
                    new RefGpt(L, H, C, V, true, 3, (s, n, l, h, p) -> RefGpt.softmax(s, n, 0), false));
            case "learned-sink" -> new Case(REGISTRY.createDefault(ComponentKind.ATTENTION, "learned-sink"),
                    new RefGpt(L, H, C, V, true, 0, (s, n, l, h, p) -> RefGpt.softmax(s, n, p.get("transformer.h." + l + ".attn.attention.sink_logits")[h]), false));
            case "clipped-softmax" -> new Case(REGISTRY.spec(ComponentKind.ATTENTION, "clipped-softmax").create(new ClippedSoftmax.Config(-0.1f, 1.1f)),
                    new RefGpt(L, H, C, V, true, 0, (s, n, l, h, p) -> {
                        double[] w = RefGpt.softmax(s, n, Double.NEGATIVE_INFINITY);
                        for (int j = 0; j < n; j++) w[j] = Math.max(0, Math.min(1, 1.2 * w[j] - 0.1));
                        return w;
                    }, false));
            case "gated" -> new Case(REGISTRY.createDefault(ComponentKind.ATTENTION, "gated"),
                    new RefGpt(L, H, C, V, true, 0, (s, n, l, h, p) -> RefGpt.softmax(s, n, Double.NEGATIVE_INFINITY), true));
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "softmax1", "sliding-window", "learned-sink", "clipped-softmax", "gated"})
    void lossAndEveryGradientMatchTheDoubleReference(String name) {
        Case k = variant(name);
        Rng rng = new Rng(name.hashCode());
        int[][] ids = new int[B][T], targets = new int[B][T];
        for (int b = 0; b < B; b++) for (int t = 0; t < T; t++) {
            ids[b][t] = rng.nextInt(V);
            targets[b][t] = rng.nextInt(V);
        }
        try (CpuBackend be = new CpuBackend(2, true); TensorScope scope = TensorScope.open()) {
            GptConfig cfg = new GptConfig(L, H, C, T, 0, 0f, true, null);
            Gpt gpt = new Gpt(cfg, k.variant(), new ModelContext(be, V, REGISTRY, new Rng(1), new Rng(2)));
            Map<String, double[]> params = setRandomParameters(gpt, rng,
                    n -> n.endsWith("ln_1.weight") || n.endsWith("ln_2.weight") || n.endsWith("ln_f.weight"));
            Tensor x = Tensor.ofInts(be, flat(ids), B, T), y = Tensor.ofInts(be, flat(targets), B, T);
            assertLossAndGradientsMatch(name, gpt, x, y, params, () -> k.ref().loss(params, ids, targets));
        }
    }

    /**
     * Sets larger-than-default weights, and non-trivial biases and norm scales (the parameters {@code normScale}
     * names), so every path carries gradient; returns them in double by name, for the reference.
     */
    static Map<String, double[]> setRandomParameters(LanguageModel model, Rng rng, Predicate<String> normScale) {
        Map<String, double[]> params = new LinkedHashMap<>();
        for (var e : model.namedParameters().entrySet()) {
            boolean scale = normScale.test(e.getKey());
            float[] v = new float[(int) e.getValue().size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) (scale ? 1 + 0.3 * rng.nextGaussian() : 0.4 * rng.nextGaussian());
            e.getValue().set(v);
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            params.put(e.getKey(), d);
        }
        return params;
    }

    /**
     * The model's loss on (x, y) against the reference's, then every parameter's gradient against central finite
     * differences of the reference, which reads {@code params} (perturbed in place, one value at a time).
     */
    static void assertLossAndGradientsMatch(String name, LanguageModel model, Tensor x, Tensor y,
                                            Map<String, double[]> params, DoubleSupplier ref) {
        Tensor loss = model.loss(x, y);
        double refLoss = ref.getAsDouble();
        assertThat((double) loss.item()).as("%s loss", name).isCloseTo(refLoss, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, refLoss)));
        loss.backward();
        int checked = 0;
        for (var e : model.namedParameters().entrySet()) {
            assertThat(e.getValue().grad()).as("%s: gradient of %s", name, e.getKey()).isNotNull();
            float[] g = e.getValue().grad().toFloatArray();
            double[] p = params.get(e.getKey());
            double[] fd = new double[p.length];
            double scale = 1e-8;
            for (int i = 0; i < p.length; i++) {
                double keep = p[i], h = 1e-6;
                p[i] = keep + h;
                double up = ref.getAsDouble();
                p[i] = keep - h;
                double down = ref.getAsDouble();
                p[i] = keep;
                fd[i] = (up - down) / (2 * h);
                scale = Math.max(scale, Math.abs(fd[i]));
            }
            for (int i = 0; i < p.length; i++) {
                assertThat(Math.abs(g[i] - fd[i])).as("%s: d loss / d %s[%d] = %s, finite difference %s", name, e.getKey(), i, g[i], fd[i])
                        .isLessThanOrEqualTo(2e-3 * Math.abs(fd[i]) + 2e-4 * scale);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(params.values().stream().mapToInt(a -> a.length).sum()).isPositive();
    }

    static int[] flat(int[][] a) {
        int[] out = new int[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
        return out;
    }
}
