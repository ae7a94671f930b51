package dev.nanolab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.embedding.EmbeddingContext;
import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.models.embedding.MixtureOfTokenizers;
import dev.nanolab.models.embedding.MotConfig;
import dev.nanolab.models.embedding.TokenBytes;
import dev.nanolab.models.gpt.Gpt;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.models.modern.ModernGpt;
import dev.nanolab.models.modern.ModernGptConfig;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The mixture-of-tokenizers embedding ({@code mot}): its spelling table, its output and every gradient against a
 * double-precision reference (RefMot) and finite differences, causality at token granularity checked on a model's
 * logits directly, and KV-cached decoding against recomputation in gpt and modern-gpt.
 */
class MixtureOfTokenizersTest {
    static final int V = 9, C = 8;

    /** Spells id as (id % 7) bytes, some above 0x7F (parts of multi-byte characters); only spelling is needed. */
    record SpellingTokenizer(int vocabSize) implements Tokenizer {
        @Override
        public String name() {
            return "spelling";
        }

        @Override
        public int[] encode(String text) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String decode(int[] tokens, int from, int to) {
            StringBuilder sb = new StringBuilder();
            for (int i = from; i < to; i++) sb.append(new String(tokenBytes(tokens[i]), StandardCharsets.ISO_8859_1));
            return sb.toString();
        }

        @Override
        public byte[] tokenBytes(int id) {
            byte[] b = new byte[id % 7];
            for (int j = 0; j < b.length; j++) b[j] = (byte) ((id * 53 + j * 29) % 256);
            return b;
        }

        @Override
        public byte[] state() {
            return new byte[] {(byte) vocabSize};
        }
    }

    static final Tokenizer TOKENIZER = new SpellingTokenizer(V);

    static MotConfig config(String name) {
        return switch (name) {
            // Cross-attention to this token and the previous one, no pooling.
            case "cross" -> new MotConfig(4, 4, 2, 1, 0, 1, false);
            // Self-attention (window 3 units, smaller than a token's 2 pooled units + 1), pooling 2, residual, k = 2.
            case "self-pool-residual" -> new MotConfig(4, 4, 2, 2, 3, 2, true);
            // The model's width, one head, own bytes only, a window larger than the sequence.
            case "wide" -> new MotConfig(4, 0, 1, 0, 40, 1, false);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void spellingIsOnePlusEachByteThenPadding() {
        TokenBytes tb = TokenBytes.of(TOKENIZER, V + 2, 4);
        for (int id = 0; id < V; id++) {
            byte[] b = TOKENIZER.tokenBytes(id);
            for (int j = 0; j < 4; j++)
                assertThat(tb.ids()[id * 4 + j]).as("id %d slot %d", id, j).isEqualTo(j < b.length ? 1 + (b[j] & 0xFF) : 0);
        }
        // A padded vocabulary's extra ids spell nothing.
        for (int j = 0; j < 8; j++) assertThat(tb.ids()[V * 4 + j]).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross", "self-pool-residual", "wide"})
    void outputAndEveryGradientMatchADoubleReference(String name) {
        MotConfig cfg = config(name);
        int b = 2, t = 5;
        Rng rng = new Rng(11);
        int[][] ids = new int[b][t];
        for (int[] row : ids) for (int i = 0; i < t; i++) row[i] = rng.nextInt(V);
        try (CpuBackend be = new CpuBackend(2, true); TensorScope s = TensorScope.open()) {
            MixtureOfTokenizers mot = new MixtureOfTokenizers(cfg, new EmbeddingContext(be, V, C, Init.normal(new Rng(1), 1f), new Rng(2), TOKENIZER));
            Map<String, double[]> params = new LinkedHashMap<>();
            for (var e : mot.namedParameters().entrySet()) {
                float[] v = new float[(int) e.getValue().size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) (0.6 * rng.nextGaussian() + (e.getKey().equals("lambda") ? 1 : 0));
                e.getValue().set(v);
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) d[i] = v[i];
                params.put(e.getKey(), d);
            }
            RefMot ref = new RefMot(cfg, C, V, TokenBytes.of(TOKENIZER, V, cfg.charsPerToken()).ids());
            double[] weights = new double[b * t * C];
            for (int i = 0; i < weights.length; i++) weights[i] = rng.nextGaussian();
            java.util.function.DoubleSupplier loss = () -> {
                double[][][] y = ref.forward(params, ids);
                double sum = 0;
                for (int r = 0; r < b; r++) for (int i = 0; i < t; i++) for (int x = 0; x < C; x++) sum += y[r][i][x] * weights[(r * t + i) * C + x];
                return sum;
            };
            float[] wf = new float[weights.length];
            for (int i = 0; i < wf.length; i++) wf[i] = (float) weights[i];
            Tensor out = mot.forward(Tensor.ofInts(be, GptGradientTest.flat(ids), b, t));
            double[][][] want = ref.forward(params, ids);
            float[] got = out.toFloatArray();
            for (int r = 0; r < b; r++)
                for (int i = 0; i < t; i++)
                    for (int x = 0; x < C; x++)
                        assertThat((double) got[(r * t + i) * C + x]).as("%s out[%d,%d,%d]", name, r, i, x).isCloseTo(want[r][i][x], Offset.offset(2e-5));
            out.mul(Tensor.of(be, wf, b, t, C)).sum().backward();
            int checked = 0;
            for (var e : mot.namedParameters().entrySet()) {
                float[] g = e.getValue().grad().toFloatArray();
                double[] p = params.get(e.getKey());
                double[] fd = new double[p.length];
                double scale = 1e-8;
                for (int i = 0; i < p.length; i++) {
                    double keep = p[i];
                    p[i] = keep + 1e-6;
                    double up = loss.getAsDouble();
                    p[i] = keep - 1e-6;
                    double down = loss.getAsDouble();
                    p[i] = keep;
                    fd[i] = (up - down) / 2e-6;
                    scale = Math.max(scale, Math.abs(fd[i]));
                }
                for (int i = 0; i < p.length; i++, checked++)
                    assertThat(Math.abs(g[i] - fd[i])).as("%s: d/d %s[%d] = %s, finite difference %s", name, e.getKey(), i, g[i], fd[i])
                            .isLessThanOrEqualTo(2e-3 * Math.abs(fd[i]) + 2e-4 * scale);
            }
            assertThat(checked).isGreaterThan(1000);
        }
    }

    static ModelContext context(CpuBackend be, long seed) {
        return new ModelContext(be, V, GptGradientTest.REGISTRY, new Rng(seed), new Rng(seed + 1), TOKENIZER);
    }

    static Gpt gpt(CpuBackend be, MotConfig cfg, int blockSize) {
        AttentionVariant softmax = GptGradientTest.REGISTRY.createDefault(ComponentKind.ATTENTION, "softmax");
        return new Gpt(new GptConfig(2, 2, C, blockSize, 0, 0f, true, null), softmax, ctx -> new MixtureOfTokenizers(cfg, ctx), context(be, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross", "self-pool-residual"})
    void aLaterTokenChangesNoEarlierLogit(String name) {
        int t = 8;
        try (CpuBackend be = new CpuBackend(2, false); TensorScope s = TensorScope.open()) {
            Gpt model = gpt(be, config(name), t);
            Rng rng = new Rng(4);
            int[] ids = new int[t];
            for (int i = 0; i < t; i++) ids[i] = rng.nextInt(V);
            float[] before = model.logits(Tensor.ofInts(be, ids, 1, t)).toFloatArray();
            for (int j : new int[] {2, 5, 7}) {
                int[] changed = ids.clone();
                changed[j] = (ids[j] + 3) % V; // spells different bytes (id % 7 differs)
                float[] after = model.logits(Tensor.ofInts(be, changed, 1, t)).toFloatArray();
                for (int i = 0; i < j * V; i++) assertThat(after[i]).as("%s: position %d after changing token %d", name, i / V, j).isEqualTo(before[i]);
                boolean moved = false;
                for (int i = j * V; i < (j + 1) * V; i++) moved |= after[i] != before[i];
                assertThat(moved).as("%s: changing token %d changes its own logits", name, j).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross", "self-pool-residual", "wide"})
    void cachedDecodingEqualsRecomputation(String name) {
        MotConfig cfg = config(name);
        int blockSize = 7;
        try (CpuBackend be = new CpuBackend(2, false)) {
            AttentionVariant softmax = GptGradientTest.REGISTRY.createDefault(ComponentKind.ATTENTION, "softmax");
            ModernGptConfig mc = ModernGptTest.config("all-on");
            mc = new ModernGptConfig(mc.nLayer(), mc.nHead(), C, blockSize, 0, 0f, false, mc.norm(), mc.normWeight(), mc.embedNorm(), mc.rope(),
                    mc.ropeBase(), mc.qkNorm(), mc.attentionScale(), mc.mlp(), 0, mc.untiedHead(), mc.zeroInitProjections(), mc.init(),
                    mc.valueEmbeds(), mc.unetSkips(), mc.x0Lambdas(), mc.softcap(), mc.softcapValue(), mc.windowPattern(), 6, 0, 0, 1, -1, null);
            LanguageModel[] models = {gpt(be, cfg, blockSize),
                    new ModernGpt(mc, softmax, ctx -> new MixtureOfTokenizers(cfg, ctx), context(be, 5))};
            for (LanguageModel model : models) {
                GptGradientTest.setRandomParameters(model, new Rng(8), n -> n.contains("ln_") && n.endsWith("weight"));
                model.eval();
                // 3·block_size tokens after the prompt: past block_size, where both crop and the embedding's context restarts.
                DecoderCheck.cachedMatchesRecomputed(name + " " + model.getClass().getSimpleName(), model, be, V, 3 * blockSize, 2e-5f);
            }
        }
    }

    @Test
    void refusesWithoutATokenizerAndBadShapes() {
        try (CpuBackend be = new CpuBackend(1, false)) {
            assertThatThrownBy(() -> new MixtureOfTokenizers(new MotConfig(), new EmbeddingContext(be, V, C, Init.zeros(), new Rng(1), null)))
                    .hasMessageContaining("model.embedding").hasMessageContaining("tokenizer");
            assertThatThrownBy(() -> new MotConfig(16, 64, 4, 0, 0, 3, false)).hasMessageContaining("pool 3").hasMessageContaining("chars_per_token 16");
            assertThatThrownBy(() -> new MixtureOfTokenizers(new MotConfig(4, 6, 4, 0, 0, 1, false), new EmbeddingContext(be, V, C, Init.zeros(), new Rng(1), TOKENIZER)))
                    .hasMessageContaining("char_dim 6").hasMessageContaining("heads 4");
        }
    }
}
