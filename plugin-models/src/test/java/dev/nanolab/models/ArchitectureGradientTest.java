package dev.nanolab.models;

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
            Map<String, double[]> params = GptGradientTest.setRandomParameters(model, rng,
                    n -> n.endsWith("ln.weight") || n.endsWith("ln_f.weight") || n.endsWith("bn.weight"));
            Tensor x = Tensor.ofInts(be, GptGradientTest.flat(ids), B, t), y = Tensor.ofInts(be, GptGradientTest.flat(targets), B, t);
            GptGradientTest.assertLossAndGradientsMatch(name, model, x, y, params, () -> k.ref().loss(params, ids, targets));
        }
    }
}
