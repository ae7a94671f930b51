package dev.nanolab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.tensor.GradMode;
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
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What lstm, wavenet, mlp and bigram must do beyond exact gradients: learn, decode, stay causal, count parameters. */
class ArchitectureBehaviourTest {
    static ModelContext context(CpuBackend be, int vocab, long seed) {
        return new ModelContext(be, vocab, GptGradientTest.REGISTRY, new Rng(seed), new Rng(seed + 1));
    }

    /** Small instances for behaviour tests. */
    static Function<ModelContext, LanguageModel> small(String name) {
        return switch (name) {
            case "lstm" -> ctx -> new Lstm(new LstmConfig(2, 32, 16, 0f), ctx);
            case "wavenet" -> ctx -> new WaveNet(new WaveNetConfig(8, 32, 32, true), ctx);
            case "mlp" -> ctx -> new BengioMlp(new MlpConfig(8, 8, 64, 2, true, 4), ctx);
            case "bigram" -> ctx -> new Bigram(new BigramConfig(16), ctx);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "wavenet", "mlp", "bigram"})
    void overfitsOneBatch(String name) {
        int vocab = 13, b = 4, t = 16;
        Rng rng = new Rng(7);
        int[] ids = new int[b * t], targets = new int[b * t];
        for (int i = 0; i < ids.length; i++) {
            // Sequences start with distinct tokens, so no two positions with the same prefix want different targets.
            ids[i] = i % t == 0 ? i / t : rng.nextInt(vocab);
            targets[i] = rng.nextInt(vocab);
        }
        // A bigram sees one token: its batch must be a function of that token to be learnable at all.
        if (name.equals("bigram")) for (int i = 0; i < ids.length; i++) targets[i] = (5 * ids[i] + 3) % vocab;
        double lr = name.equals("bigram") ? 1e-1 : 3e-3;
        try (CpuBackend be = new CpuBackend(2, false)) {
            LanguageModel model = small(name).apply(context(be, vocab, 3));
            Tensor x = Tensor.ofInts(be, ids, b, t), y = Tensor.ofInts(be, targets, b, t);
            float[] firstLast = GptBehaviourTest.overfit(model, x, y, lr);
            assertThat(firstLast[0]).as(name + " starts near ln(vocab) = 2.56").isBetween(1.5f, 4f);
            assertThat(firstLast[1]).as(name + " memorises the batch").isLessThan(0.05f);
            // In eval mode too (batch norm on running statistics, recalibrated on this very batch).
            model.recalibrate(() -> x);
            model.eval();
            try (TensorScope s = TensorScope.open(); GradMode.Scope ng = GradMode.disabled()) {
                assertThat(model.loss(x, y).item()).as(name + " in eval mode").isLessThan(0.1f);
            }
        }
    }

    @Test
    void lstmDecoderCarriesTheStateAndMatchesTheWholePrefixAtEveryStep() {
        int vocab = 11, block = 8;
        try (CpuBackend be = new CpuBackend(2, false)) {
            Lstm model = new Lstm(new LstmConfig(2, 16, block, 0.2f), context(be, vocab, 5));
            model.eval();
            for (int batch : new int[] {1, 3}) {
                try (Decoder carried = model.decoder(batch); Decoder cropped = model.recomputingDecoder(batch);
                     TensorScope s = TensorScope.open(); GradMode.Scope ng = GradMode.disabled()) {
                    Rng rng = new Rng(batch);
                    int[][] seqs = new int[batch][0];
                    boolean differsFromCropped = false;
                    // A prompt of 3, then one token at a time, with one chunk of 4 in the middle: 28 tokens, past block_size 8.
                    int[] chunks = {3, 1, 1, 1, 1, 1, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
                    for (int step = 0; step < chunks.length; step++) {
                        int n = chunks[step];
                        int[] fresh = new int[batch * n];
                        for (int i = 0; i < fresh.length; i++) fresh[i] = rng.nextInt(vocab);
                        for (int r = 0; r < batch; r++) {
                            int[] grown = Arrays.copyOf(seqs[r], seqs[r].length + n);
                            System.arraycopy(fresh, r * n, grown, seqs[r].length, n);
                            seqs[r] = grown;
                        }
                        Tensor ids = Tensor.ofInts(be, fresh, batch, n);
                        float[] got = carried.feed(ids).toFloatArray(), crop = cropped.feed(ids).toFloatArray();
                        float[] whole = lastPosition(model, be, seqs);
                        int len = seqs[0].length;
                        assertThat(got).as("batch %d, %d tokens: carried state vs the whole prefix", batch, len).containsExactly(whole, Offset.offset(2e-5f));
                        if (len <= block) assertThat(got).as("within block_size the cropped recomputation agrees").containsExactly(crop, Offset.offset(2e-5f));
                        else for (int i = 0; i < got.length; i++) differsFromCropped |= Math.abs(got[i] - crop[i]) > 1e-4;
                    }
                    assertThat(differsFromCropped).as("past block_size the carried state still sees the cropped tokens").isTrue();
                }
            }
        }
    }

    /** logits(whole sequences)[:, -1, :], flattened. */
    private static float[] lastPosition(LanguageModel model, CpuBackend be, int[][] seqs) {
        int batch = seqs.length, t = seqs[0].length, v = model.vocabSize();
        float[] all = model.logits(Tensor.ofInts(be, GptGradientTest.flat(seqs), batch, t)).toFloatArray();
        float[] out = new float[batch * v];
        for (int r = 0; r < batch; r++) System.arraycopy(all, ((r * t) + t - 1) * v, out, r * v, v);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "wavenet", "mlp", "bigram"})
    void perturbingTokenTNeverChangesOutputsBeforeT(String name) {
        int vocab = 9, b = 2, t = 20;
        try (CpuBackend be = new CpuBackend(2, false); TensorScope s = TensorScope.open(); GradMode.Scope ng = GradMode.disabled()) {
            LanguageModel model = small(name).apply(context(be, vocab, 11));
            model.eval(); // batch norm would otherwise mix rows through its batch statistics
            Rng rng = new Rng(4);
            int[] ids = new int[b * t];
            for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(vocab);
            float[] base = model.logits(Tensor.ofInts(be, ids, b, t)).toFloatArray();
            // The window of positions a token reaches: the model's block_size, except the LSTM's, which is unbounded.
            int reach = name.equals("lstm") ? t : name.equals("bigram") ? 1 : model.blockSize();
            for (int p = 0; p < t; p++) {
                int[] changed = ids.clone();
                changed[p] = (ids[p] + 1) % vocab;
                float[] out = model.logits(Tensor.ofInts(be, changed, b, t)).toFloatArray();
                for (int pos = 0; pos < t; pos++) {
                    float[] was = slice(base, 0, pos, t, vocab), now = slice(out, 0, pos, t, vocab);
                    if (pos < p || pos >= p + reach)
                        assertThat(now).as("%s: token %d changed, output %d must not", name, p, pos).containsExactly(was);
                    else if (pos == p || pos == p + reach - 1)
                        assertThat(Arrays.equals(now, was)).as("%s: token %d changed, output %d must", name, p, pos).isFalse();
                    assertThat(slice(out, 1, pos, t, vocab)).as("the other sequence").containsExactly(slice(base, 1, pos, t, vocab));
                }
            }
        }
    }

    private static float[] slice(float[] logits, int row, int pos, int t, int v) {
        return Arrays.copyOfRange(logits, (row * t + pos) * v, (row * t + pos + 1) * v);
    }

    @Test
    void presetSizesAreComparableToTheCpuDemoGpt() {
        // nanoGPT's CPU demo (4 layers, 4 heads, 128 wide, vocab 65) reports 0.80M; the defaults are the demo presets.
        try (CpuBackend be = new CpuBackend(1, false)) {
            ModelContext ctx = context(be, 65, 1);
            assertThat(new Lstm(new LstmConfig(), ctx).reportedParameterCount()).isEqualTo(802_433L);
            assertThat(new WaveNet(new WaveNetConfig(), ctx).reportedParameterCount()).isEqualTo(768_737L);
            assertThat(new BengioMlp(new MlpConfig(), ctx).reportedParameterCount()).isEqualTo(814_745L);
            assertThat(new Bigram(new BigramConfig(), ctx).reportedParameterCount()).isEqualTo(65L * 65);
            LstmConfig l = new LstmConfig();
            // wte + ln + per layer (W_ih, b, W_hh) + fc + lm_head
            long lstm = 65 * 192 + 2 * 192 + l.nLayer() * (2L * 4 * 192 * 192 + 4 * 192) + (192 * 768 + 768) + (768 * 65 + 65);
            assertThat(lstm).isEqualTo(802_433L);
        }
    }

    @Test
    void namesAndBuffersAreStable() {
        try (CpuBackend be = new CpuBackend(1, false)) {
            ModelContext ctx = context(be, 10, 1);
            assertThat(new Lstm(new LstmConfig(2, 8, 4, 0f), ctx).namedParameters()).containsKeys("wte.weight", "ln.weight",
                    "lstm.1.w_ih.weight", "lstm.1.w_ih.bias", "lstm.1.w_hh.weight", "fc.weight", "lm_head.bias").doesNotContainKey("lstm.1.w_hh.bias");
            assertThat(new WaveNet(new WaveNetConfig(4, 4, 4, true), ctx).namedParameters()).containsKeys("layers.0.conv.weight",
                    "layers.0.res.weight", "layers.1.skip.weight", "layers.1.ln.weight", "ln_f.bias").doesNotContainKey("layers.1.res.weight");
            BengioMlp mlp = new BengioMlp(new MlpConfig(3, 2, 8, 2, true, 5), ctx);
            assertThat(mlp.namedBuffers()).containsOnlyKeys("hidden.0.bn.running_mean", "hidden.0.bn.running_var",
                    "hidden.1.bn.running_mean", "hidden.1.bn.running_var");
            assertThat(mlp.namedParameters()).containsKeys("hidden.0.bn.weight", "hidden.0.fc.weight").doesNotContainKey("hidden.0.fc.bias");
            assertThat(mlp.namedParameters().get("wte.weight").shape().dims()).as("a row for the pad token").containsExactly(11, 2);
        }
    }

    @Test
    void architecturesWithoutAttentionSayItAndCheckTheirConfig() {
        for (String name : List.of("lstm", "wavenet", "mlp", "bigram")) {
            var spec = GptGradientTest.REGISTRY.spec(ComponentKind.ARCHITECTURE, name);
            Architecture arch = spec.create(spec.defaults());
            assertThat(arch.usesAttention()).as(name).isFalse();
            assertThat(Arrays.stream(spec.configType().getRecordComponents()).map(c -> c.getName())).as(name).doesNotContain("attention");
        }
        assertThatThrownBy(() -> new WaveNetConfig(48, 8, 8, false)).hasMessageContaining("block_size 48 must be a power of two");
        assertThat(new WaveNetConfig(64, 8, 8, false).nLayer()).isEqualTo(6);
    }

    @Test
    void bigramDecoderLooksAtTheLastTokenOnly() {
        try (CpuBackend be = new CpuBackend(1, false); TensorScope s = TensorScope.open()) {
            Bigram model = new Bigram(new BigramConfig(4), context(be, 6, 2));
            try (Decoder dec = model.decoder(2); Decoder ref = model.recomputingDecoder(2)) {
                for (int[] step : new int[][] {{1, 2, 3, 4}, {5, 0}, {2, 2}}) {
                    Tensor ids = Tensor.ofInts(be, step, 2, step.length / 2);
                    assertThat(dec.feed(ids).toFloatArray()).containsExactly(ref.feed(ids).toFloatArray());
                }
            }
        }
    }
}
