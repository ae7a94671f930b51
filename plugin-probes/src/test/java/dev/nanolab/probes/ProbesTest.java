package dev.nanolab.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.probe.Histogram;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.training.probe.ProbeSet;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.attention.AttentionPlugin;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.models.ModelsPlugin;
import dev.nanolab.models.gpt.Gpt;
import dev.nanolab.models.gpt.GptConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each built-in probe against a hand computation on a small constructed network or a small GPT. */
class ProbesTest {
    static CpuBackend be;
    static final ComponentRegistry REGISTRY = ComponentRegistry.of(new AttentionPlugin(), new ModelsPlugin(), new ProbesPlugin());

    @BeforeAll
    static void open() {
        be = new CpuBackend(2, false);
    }

    @AfterAll
    static void close() {
        be.close();
    }

    /** root → mlp → c_fc: one linear layer, path "mlp.c_fc", whose output is the "hidden pre-activation". */
    static final class Net extends Layer {
        final Inner mlp;

        Net(Backend be, int in, int hidden, long seed) {
            mlp = child("mlp", new Inner(be, in, hidden, seed));
        }

        Tensor forward(Tensor x) {
            return mlp.forward(x);
        }
    }

    static final class Inner extends Layer {
        final Linear cFc;

        Inner(Backend be, int in, int hidden, long seed) {
            cFc = child("c_fc", new Linear(be, in, hidden, true, Init.normal(new Rng(seed), 0.5f)));
        }

        Tensor forward(Tensor x) {
            return emit(cFc.forward(x));
        }
    }

    static float[] randoms(long seed, int n, double scale) {
        Rng r = new Rng(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return x;
    }

    /** One "evaluation": observe, run the batches without gradient, collect the reports. */
    static Map<String, Object> evaluate(ProbeSet probes, long iter, Layer model, Runnable batches) {
        try (ProbeSet.Observing o = probes.observe(iter, model)) {
            batches.run();
            Map<String, Object> all = new java.util.LinkedHashMap<>();
            for (ProbeSet.Report r : o.reports()) all.putAll(r.values());
            return all;
        }
    }

    static ProbeSet one(String name, Probe p) {
        return ProbeSet.named(List.of(name), List.of(p));
    }

    static void noGrad(Runnable r) {
        try (GradMode.Scope g = GradMode.disabled(); TensorScope s = TensorScope.open()) {
            r.run();
        }
    }

    @Test
    void deadNeuronProbeCountsExactlyTheDeadUnits() {
        int in = 2, hidden = 8;
        Net net = new Net(be, in, hidden, 1);
        float[] w = new float[hidden * in], b = new float[hidden];
        // unit: 0 always on (bias +1); 1 always off (bias −1); 2 follows x0 (on for some inputs); 3 on; 4 off;
        // 5 x1 − 10 (never on, |x| ≤ 1); 6 exactly 0 (not above the threshold, so dead); 7 off.
        float[] bias = {1, -1, 0, 1, -1, -10, 0, -1};
        System.arraycopy(bias, 0, b, 0, hidden);
        w[2 * in] = 1;     // unit 2 reads x0
        w[5 * in + 1] = 1; // unit 5 reads x1
        net.mlp.cFc.weight().set(w);
        net.mlp.cFc.bias().set(b);
        net.eval();
        ProbeSet probes = one("dead-neurons", new DeadNeuronsProbe(new DeadNeuronsProbe.Config(List.of("**.c_fc"), 0.0)));
        Map<String, Object> r = evaluate(probes, 0, net, () -> {
            for (int batch = 0; batch < 3; batch++) {
                float[] x = randoms(10 + batch, 4 * 5 * in, 1.0);
                noGrad(() -> net.forward(Tensor.of(be, x, 4, 5, in)));
            }
        });
        assertThat(r).containsEntry("dead_units/mlp.c_fc", 5.0).containsEntry("dead_fraction/mlp.c_fc", 5.0 / 8);
        assertThat(DeadNeuronsProbe.dead(new boolean[] {true, false, true, true, false, false, false, false})).containsExactly(1, 4, 5, 6, 7);
    }

    @Test
    void updateRatioEqualsAHandComputationForOneSgdStep() {
        Net net = new Net(be, 6, 5, 2);
        Map<String, Tensor> params = net.namedParameters();
        float lr = 0.05f;
        float[] x = randoms(3, 4 * 6, 1.0);
        try (TensorScope s = TensorScope.open()) {
            net.zeroGrad();
            net.forward(Tensor.of(be, x, 4, 6)).square().sum().backward();
        }
        ProbeSet probes = ProbeSet.named(List.of("update-ratio", "grad-norm"),
                List.of(new UpdateRatioProbe(new UpdateRatioProbe.Config()), new GradNormProbe(new NoOptions())));
        Map<String, float[]> before = new java.util.LinkedHashMap<>(), grads = new java.util.LinkedHashMap<>();
        params.forEach((k, p) -> {
            before.put(k, p.toFloatArray());
            grads.put(k, p.grad().toFloatArray());
        });
        probes.beforeUpdate(0, true, params);
        // One plain SGD step by hand, with tensor ops: θ ← θ − lr·g.
        noGrad(() -> params.values().forEach(p -> p.copyFrom(p.sub(p.grad().mul(lr)))));
        probes.afterUpdate(0);
        Map<String, Object> r = evaluate(probes, 1, net, () -> {});

        for (String name : List.of("mlp.c_fc.weight", "mlp.c_fc.bias")) {
            float[] t = before.get(name), g = grads.get(name);
            double[] upd = new double[t.length], data = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                upd[i] = -lr * (double) g[i];
                data[i] = t[i];
            }
            double expected = Math.log10(popStd(upd) / popStd(data));
            assertThat((Double) r.get("update_ratio_log10/" + name)).as(name).isCloseTo(expected, within(1e-4));
            double norm = 0;
            for (float v : g) norm += (double) v * v;
            assertThat((Double) r.get("grad_norm/" + name)).isCloseTo(Math.sqrt(norm), within(1e-6 * Math.sqrt(norm)));
        }
        double total = 0;
        for (float[] g : grads.values()) for (float v : g) total += (double) v * v;
        assertThat((Double) r.get("grad_norm_total")).isCloseTo(Math.sqrt(total), within(1e-6 * Math.sqrt(total)));
        assertThat((Double) r.get("grad_norm_layer/mlp.c_fc")).isCloseTo(Math.sqrt(total), within(1e-6 * Math.sqrt(total)));
    }

    static double popStd(double[] x) {
        double m = 0;
        for (double v : x) m += v;
        m /= x.length;
        double s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / x.length);
    }

    @Test
    void parametersAreCopiedOnlyBeforeAStepThatPrecedesAnEvaluation() {
        Net net = new Net(be, 3, 4, 5);
        Map<String, Tensor> params = net.namedParameters();
        ProbeSet probes = one("update-ratio", new UpdateRatioProbe(new UpdateRatioProbe.Config()));
        probes.beforeUpdate(0, false, params); // no evaluation follows: nothing kept
        noGrad(() -> params.values().forEach(p -> p.copyFrom(p.mul(1.01f))));
        probes.afterUpdate(0);
        assertThat(evaluate(probes, 1, net, () -> {})).isEmpty();
        // The first evaluation (iteration 0) and one after a gap have no last update at all.
        assertThat(evaluate(probes, 0, net, () -> {})).isEmpty();
        probes.beforeUpdate(1, true, params);
        noGrad(() -> params.values().forEach(p -> p.copyFrom(p.mul(1.01f))));
        probes.afterUpdate(1);
        // θ·1.01 − θ = 0.01·θ: the ratio is exactly log10(0.01) up to float rounding.
        assertThat((Double) evaluate(probes, 2, net, () -> {}).get("update_ratio_log10/mlp.c_fc.weight")).isCloseTo(-2.0, within(1e-4));
    }

    @Test
    void kurtosisAndMaxAbsProbesReportTheMomentsOfEveryValueSeen() {
        Net net = new Net(be, 3, 6, 7);
        net.eval();
        ProbeSet probes = ProbeSet.named(List.of("kurtosis", "max-abs"), List.of(
                new KurtosisProbe(new KurtosisProbe.Config(List.of("mlp", "mlp.c_fc"), true, true, 2)),
                new MaxAbsProbe(new MaxAbsProbe.Config(List.of("mlp"), true, 2))));
        Moments all = new Moments();
        Map<String, Object> r = evaluate(probes, 0, net, () -> {
            for (int batch = 0; batch < 3; batch++) {
                float[] x = randoms(20 + batch, 2 * 4 * 3, 1.0);
                if (batch == 1) x[2 * 3 + 1] = 50; // one large input
                noGrad(() -> {
                    Tensor y = net.forward(Tensor.of(be, x, 2, 4, 3));
                    float[] v = y.toFloatArray();
                    all.add(v);
                });
            }
        });
        assertThat((Double) r.get("act_kurtosis_pearson/mlp")).isCloseTo(all.pearsonKurtosis(), within(1e-9));
        assertThat((Double) r.get("act_kurtosis_pearson/mlp.c_fc")).isCloseTo(all.pearsonKurtosis(), within(1e-9));
        assertThat((Double) r.get("act_max_abs/mlp")).isEqualTo(all.maxAbs());
        assertThat((Double) r.get("act_max_abs_channel/mlp")).isEqualTo((double) (all.maxAbsIndex() % 6));
        float[] w = net.mlp.cFc.weight().toFloatArray();
        assertThat((Double) r.get("weight_kurtosis_pearson/mlp.c_fc.weight")).isCloseTo(new Moments().add(w).pearsonKurtosis(), within(1e-12));
        assertThat((Double) r.get("weight_max_abs/mlp.c_fc.weight")).isEqualTo(new Moments().add(w).maxAbs());
        assertThat(r).doesNotContainKey("weight_kurtosis_pearson/mlp.c_fc.bias"); // rank 1
    }

    @Test
    void maxAbsNamesTheOutliersChannel() {
        Net net = new Net(be, 4, 4, 9);
        net.mlp.cFc.weight().set(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}); // identity
        net.mlp.cFc.bias().set(new float[4]);
        ProbeSet probes = one("max-abs", new MaxAbsProbe(new MaxAbsProbe.Config(List.of("mlp"), false, 2)));
        Map<String, Object> r = evaluate(probes, 0, net, () -> {
            float[] x = randoms(1, 3 * 4, 1.0);
            x[2 * 4 + 2] = -9; // position 2, channel 2
            noGrad(() -> net.forward(Tensor.of(be, x, 1, 3, 4)));
        });
        assertThat(r).containsEntry("act_max_abs/mlp", 9.0).containsEntry("act_max_abs_channel/mlp", 2.0);
    }

    @Test
    void hooksAreRemovedWhenTheObservationCloses() {
        Net net = new Net(be, 2, 3, 11);
        int[] calls = {0};
        Probe counting = ctx -> {
            var h = ctx.model().namedLayers().get("mlp").addForwardHook((m, out) -> calls[0]++);
            return new dev.nanolab.api.probe.Observation() {
                @Override
                public void report(dev.nanolab.api.probe.ProbeMetrics out) {
                    out.scalar("calls", calls[0]);
                }

                @Override
                public void close() {
                    h.close();
                }
            };
        };
        ProbeSet probes = one("counting", counting);
        Map<String, Object> r = evaluate(probes, 0, net, () -> noGrad(() -> net.forward(Tensor.of(be, new float[4], 2, 2))));
        assertThat(r).containsEntry("calls", 1.0);
        noGrad(() -> net.forward(Tensor.of(be, new float[4], 2, 2))); // a training step: no hook
        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void histogramsCountEveryValue() {
        Net net = new Net(be, 5, 7, 13);
        float[] x = randoms(2, 3 * 5, 1.0);
        try (TensorScope s = TensorScope.open()) {
            net.forward(Tensor.of(be, x, 3, 5)).sum().backward();
        }
        ProbeSet probes = one("histograms", new HistogramsProbe(new HistogramsProbe.Config(10, true, true, true, List.of("mlp"), 2, 1)));
        probes.afterUpdate(0);
        Map<String, Object> r = evaluate(probes, 1, net, () -> {
            for (int i = 0; i < 3; i++) noGrad(() -> net.forward(Tensor.of(be, x, 3, 5)));
        });
        assertThat(((Histogram) r.get("hist_weight/mlp.c_fc.weight")).total()).isEqualTo(35);
        assertThat(((Histogram) r.get("hist_weight/mlp.c_fc.bias")).total()).isEqualTo(7);
        assertThat(((Histogram) r.get("hist_act/mlp")).total()).isEqualTo(2 * 3 * 7); // the first 2 batches
        Histogram g = (Histogram) r.get("hist_grad/mlp.c_fc.weight");
        assertThat(g.total()).isEqualTo(35);
        assertThat(g.edges()).hasSize(11);
        assertThat(g.edges()[0]).isEqualTo(-g.edges()[10]);
    }

    static Gpt gpt(String attention, int layers) {
        AttentionVariant v = REGISTRY.createDefault(ComponentKind.ATTENTION, attention);
        Gpt m = new Gpt(new GptConfig(layers, 2, 16, 8, 0, 0f, true, null), v, new ModelContext(be, 11, REGISTRY, new Rng(3), new Rng(4)));
        m.namedParameters();
        return m;
    }

    static void forward(Gpt model, int batches) {
        model.eval();
        for (int i = 0; i < batches; i++) {
            Rng r = new Rng(100 + i);
            int[] ids = new int[3 * 8];
            for (int k = 0; k < ids.length; k++) ids[k] = r.nextInt(11);
            noGrad(() -> model.logits(Tensor.ofInts(be, ids, 3, 8)));
        }
    }

    @Test
    void attentionMassIsOneForSoftmaxAndBelowOneForSoftmax1() {
        for (String attention : List.of("softmax", "softmax1")) {
            Gpt model = gpt(attention, 2);
            ProbeSet probes = one("attention-mass", new AttentionMassProbe(new AttentionMassProbe.Config()));
            Map<String, Object> r = evaluate(probes, 0, model, () -> forward(model, 2));
            assertThat(r).containsEntry("attn_layers_unmeasured", 0.0);
            for (int layer = 0; layer < 2; layer++) {
                String l = "transformer.h." + layer + ".attn.attention";
                Histogram h = (Histogram) r.get("attn_mass_hist/" + l);
                assertThat(h.total()).as("rows: batches × B × H × T").isEqualTo(2 * 3 * 2 * 8);
                Histogram h0 = (Histogram) r.get("attn_mass_hist/" + l + "[0]"), h1 = (Histogram) r.get("attn_mass_hist/" + l + "[1]");
                assertThat(h0.total()).as("rows of one head").isEqualTo(2 * 3 * 8);
                for (int b = 0; b < h.counts().length; b++) assertThat(h0.counts()[b] + h1.counts()[b]).isEqualTo(h.counts()[b]);
                double mean = (Double) r.get("attn_mass_mean/" + l);
                double first = (Double) r.get("attn_first_token_fraction/" + l + "[1]");
                assertThat(first).isBetween(0.0, 1.0);
                if (attention.equals("softmax")) {
                    assertThat(mean).isCloseTo(1.0, within(1e-5));
                    assertThat((Double) r.get("attn_mass_mean/" + l + "[0]")).isCloseTo(1.0, within(1e-5));
                    assertThat(h.counts()[h.counts().length - 1]).isEqualTo(h.total());
                } else {
                    assertThat(mean).isLessThan(0.99).isGreaterThan(0.0);
                    assertThat(h.counts()[h.counts().length - 1]).as("softmax1 rows fall short of 1").isLessThan(h.total());
                }
            }
        }
    }

    @Test
    void defaultModuleGlobsFitTheGpt() {
        Gpt model = gpt("softmax1", 2);
        ProbeSet probes = ProbeSet.named(List.of("kurtosis", "dead-neurons"), List.of(
                REGISTRY.createDefault(ComponentKind.PROBE, "kurtosis"), REGISTRY.createDefault(ComponentKind.PROBE, "dead-neurons")));
        Map<String, Object> r = evaluate(probes, 0, model, () -> forward(model, 1));
        for (int l = 0; l < 2; l++) {
            assertThat(r).containsKeys("act_kurtosis_pearson/transformer.h." + l, "act_kurtosis_pearson/transformer.h." + l + ".attn",
                    "act_kurtosis_pearson/transformer.h." + l + ".mlp", "dead_fraction/transformer.h." + l + ".mlp.c_fc",
                    "weight_kurtosis_pearson/transformer.h." + l + ".mlp.c_fc.weight");
        }
        assertThat(r).containsKey("weight_kurtosis_pearson/transformer.wte.weight");
    }

    @Test
    void globsThatMatchNothingAreAnError() {
        Gpt model = gpt("softmax", 1);
        Probe p = new KurtosisProbe(new KurtosisProbe.Config(List.of("*.layers.*"), true, true, 2));
        assertThatThrownBy(() -> one("kurtosis", p).observe(0, model))
                .hasMessageContaining("kurtosis: modules [*.layers.*] match no module").hasMessageContaining("transformer.h.0");
    }

    @Test
    void modulePatterns() {
        ModulePattern p = new ModulePattern(List.of("*.h.*", "**.mlp"));
        assertThat(p.matches("transformer.h.0")).isTrue();
        assertThat(p.matches("transformer.h.10")).isTrue();
        assertThat(p.matches("transformer.h.0.attn")).isFalse();
        assertThat(p.matches("transformer.h.3.mlp")).isTrue();
        assertThat(p.matches("mlp")).isFalse();
        assertThat(new ModulePattern(List.of("mlp")).matches("mlp")).isTrue();
        assertThat(GradNormProbe.layer("transformer.h.3.attn.c_attn.weight")).isEqualTo("transformer.h.3");
        assertThat(GradNormProbe.layer("transformer.wte.weight")).isEqualTo("transformer.wte");
        assertThat(GradNormProbe.layer("bias")).isEqualTo("bias");
    }

    @Test
    void thePluginRegistersEveryProbeAndTheExperiment() {
        assertThat(REGISTRY.specs(ComponentKind.PROBE)).extracting(s -> s.name()).containsExactlyInAnyOrder(
                "kurtosis", "max-abs", "attention-mass", "dead-neurons", "histograms", "update-ratio", "grad-norm");
        assertThat(dev.nanolab.api.experiment.ExperimentPlan.STANDARD_PROBES)
                .allMatch(n -> REGISTRY.specs(ComponentKind.PROBE).stream().anyMatch(s -> s.name().equals(n)));
        for (var s : REGISTRY.specs(ComponentKind.PROBE)) assertThat(REGISTRY.createDefault(ComponentKind.PROBE, s.name())).isNotNull();
        var plan = REGISTRY.createDefault(ComponentKind.EXPERIMENT, "softmax-vs-softmax1").plan();
        assertThat(plan.preset()).isEqualTo("cpu-demo");
        assertThat(plan.variations()).singleElement().satisfies(v -> {
            assertThat(v.key()).isEqualTo("model.attention");
            assertThat(v.values()).containsExactly("softmax", "softmax1");
        });
        assertThat(plan.seeds()).isEqualTo(2);
        assertThat(plan.threshold()).isEqualTo(0.05);
    }
}
