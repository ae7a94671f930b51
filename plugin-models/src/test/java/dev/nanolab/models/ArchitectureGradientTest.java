package dev.nanolab.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.models.bigram.Bigram;
import dev.nanolab.models.bigram.BigramConfig;
import dev.nanolab.models.lstm.Lstm;
import dev.nanolab.models.lstm.LstmConfig;
import dev.nanolab.models.mlp.BengioMlp;
import dev.nanolab.models.mlp.MlpConfig;
import dev.nanolab.models.wavenet.WaveNet;
import dev.nanolab.models.wavenet.WaveNetConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loss and every parameter gradient of a tiny lstm, wavenet, mlp and bigram against {@link RefModels}: the loss
 * directly, gradients against central finite differences of the double-precision reference.
 */
class ArchitectureGradientTest {
    static final int V = 7, B = 2;

    /** A tiny model, its reference, and the sequence length to test at. */
    record Case(Function<ModelContext, LanguageModel> build, RefModels.Loss ref, int t) {}

    static Case of(String name) {
        return switch (name) {
            case "lstm" -> new Case(ctx -> new Lstm(new LstmConfig(2, 8, 6, 0f), ctx), RefModels.lstm(2, 8, V), 6);
            // Block 4 (two layers, dilations 1 and 2) at T = 7: past the receptive field too.
            case "wavenet" -> new Case(ctx -> new WaveNet(new WaveNetConfig(4, 5, 6, false), ctx), RefModels.wavenet(2, 5, 6, false, V), 7);
            case "wavenet-layer-norm" -> new Case(ctx -> new WaveNet(new WaveNetConfig(8, 4, 5, true), ctx), RefModels.wavenet(3, 4, 5, true, V), 9);
            case "mlp" -> new Case(ctx -> new BengioMlp(new MlpConfig(3, 3, 8, 2, false, 0), ctx), RefModels.mlp(3, 3, 8, 2, false, V), 5);
            case "mlp-batch-norm" -> new Case(ctx -> new BengioMlp(new MlpConfig(3, 3, 8, 2, true, 0), ctx), RefModels.mlp(3, 3, 8, 2, true, V), 5);
            case "bigram" -> new Case(ctx -> new Bigram(new BigramConfig(4), ctx), RefModels.bigram(V), 4);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "wavenet", "wavenet-layer-norm", "mlp", "mlp-batch-norm", "bigram"})
    void lossAndEveryGradientMatchTheDoubleReference(String name) {
        Case k = of(name);
        int t = k.t();
        Rng rng = new Rng(name.hashCode());
        int[][] ids = new int[B][t], targets = new int[B][t];
        for (int b = 0; b < B; b++)
            for (int i = 0; i < t; i++) {
                ids[b][i] = rng.nextInt(V);
                targets[b][i] = rng.nextInt(V);
            }
        try (CpuBackend be = new CpuBackend(2, true); TensorScope scope = TensorScope.open()) {
            LanguageModel model = k.build().apply(new ModelContext(be, V, GptGradientTest.REGISTRY, new Rng(1), new Rng(2)));
            // Larger-than-default weights, and non-trivial biases and norm scales, so every path carries gradient.
            Map<String, double[]> params = new LinkedHashMap<>();
            for (var e : model.namedParameters().entrySet()) {
                boolean scale = e.getKey().endsWith("ln.weight") || e.getKey().endsWith("ln_f.weight") || e.getKey().endsWith("bn.weight");
                float[] v = new float[(int) e.getValue().size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) (scale ? 1 + 0.3 * rng.nextGaussian() : 0.4 * rng.nextGaussian());
                e.getValue().set(v);
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) d[i] = v[i];
                params.put(e.getKey(), d);
            }
            Tensor x = Tensor.ofInts(be, GptGradientTest.flat(ids), B, t), y = Tensor.ofInts(be, GptGradientTest.flat(targets), B, t);
            Tensor loss = model.loss(x, y);
            double refLoss = k.ref().loss(params, ids, targets);
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
                    double up = k.ref().loss(params, ids, targets);
                    p[i] = keep - h;
                    double down = k.ref().loss(params, ids, targets);
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
    }
}
