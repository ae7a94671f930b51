package dev.nanolab.optimizers;

import static dev.nanolab.optimizers.Fixtures.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.optim.ParamGroupRules;
import dev.nanolab.api.optim.ParamGroupRules.Rule;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.cpu.CpuBackend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The parameter-group rule engine on a one-block nanoGPT's parameter names and shapes. */
class ParamGroupRulesTest {
    static CpuBackend be;
    static Map<String, Tensor> gpt;

    @BeforeAll
    static void start() {
        be = new CpuBackend(1, true);
        int v = 16, d = 4, t = 8;
        gpt = new LinkedHashMap<>();
        add("transformer.wte.weight", v, d);
        add("transformer.wpe.weight", t, d);
        add("transformer.h.0.ln_1.weight", d);
        add("transformer.h.0.ln_1.bias", d);
        add("transformer.h.0.attn.c_attn.weight", 3 * d, d);
        add("transformer.h.0.attn.c_attn.bias", 3 * d);
        add("transformer.h.0.attn.c_proj.weight", d, d);
        add("transformer.h.0.mlp.c_fc.weight", 4 * d, d);
        add("transformer.h.0.mlp.c_proj.weight", d, 4 * d);
        add("transformer.ln_f.weight", d);
    }

    static void add(String name, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        gpt.put(name, param(be, name, Fixtures.values(n, gpt.size() + 1, -0.1f, 0.1f), shape));
    }

    @AfterAll
    static void stop() {
        be.close();
    }

    static List<String> names(ParamGroup g) {
        return g.params().stream().map(Tensor::name).toList();
    }

    @Test
    void nanoGptDecaysExactlyTheTensorsOfRankTwoOrMore() {
        List<ParamGroup> groups = ParamGroupRules.nanoGPT().groups(gpt, 0.1);
        assertThat(groups).extracting(ParamGroup::name).containsExactly("decay", "no_decay");
        assertThat(names(groups.get(0))).containsExactly("transformer.wte.weight", "transformer.wpe.weight",
                "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_proj.weight",
                "transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_proj.weight");
        assertThat(names(groups.get(1))).containsExactly("transformer.h.0.ln_1.weight", "transformer.h.0.ln_1.bias",
                "transformer.h.0.attn.c_attn.bias", "transformer.ln_f.weight");
        assertThat(groups.get(0).weightDecay()).isEqualTo(0.1);
        assertThat(groups.get(1).weightDecay()).isEqualTo(0.0);
        assertThat(groups).allSatisfy(g -> assertThat(g.lrMultiplier()).isEqualTo(1.0));
        // The record's no-argument constructor (what a config without the key binds to) is the same grouping.
        assertThat(new ParamGroupRules().groups(gpt, 0.1)).isEqualTo(groups);
    }

    @Test
    void firstMatchWinsWithPerGroupRatesAndDecay() {
        var rules = new ParamGroupRules(List.of(
                new Rule("embeddings", "transformer.{wte,wpe}.*", 0, null, 0.1, 0.0, null),
                new Rule("attention", "transformer.h.*.attn.*.weight", 2, 2, 2.0, 0.05, null),
                new Rule("matrices", "*", 2, null, 1.0, null, null),
                new Rule(null, "*", 0, null, 1.0, 0.0, null)), List.of());
        List<ParamGroup> g = rules.groups(gpt, 0.1);
        assertThat(g).extracting(ParamGroup::name).containsExactly("embeddings", "attention", "matrices", "group3");
        assertThat(names(g.get(0))).containsExactly("transformer.wte.weight", "transformer.wpe.weight");
        assertThat(names(g.get(1))).containsExactly("transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_proj.weight");
        assertThat(names(g.get(2))).containsExactly("transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_proj.weight");
        assertThat(g).extracting(ParamGroup::lrMultiplier).containsExactly(0.1, 2.0, 1.0, 1.0);
        assertThat(g).extracting(ParamGroup::weightDecay).containsExactly(0.0, 0.05, 0.1, 0.0);
    }

    @Test
    void globs() {
        assertThat(ParamGroupRules.glob("*.bias").test("transformer.h.0.attn.c_attn.bias")).isTrue();
        assertThat(ParamGroupRules.glob("*.bias").test("transformer.h.0.attn.c_attn.weight")).isFalse();
        assertThat(ParamGroupRules.glob("transformer.h.?.mlp.*").test("transformer.h.3.mlp.c_fc.weight")).isTrue();
        assertThat(ParamGroupRules.glob("transformer.h.?.mlp.*").test("transformer.h.12.mlp.c_fc.weight")).isFalse();
        assertThat(ParamGroupRules.glob("*{wte,lm_head}*").test("lm_head.weight")).isTrue();
        // Dots are literal, not regex wildcards.
        assertThat(ParamGroupRules.glob("a.b").test("axb")).isFalse();
        assertThatThrownBy(() -> ParamGroupRules.glob("{a,b")).hasMessageContaining("unbalanced");
    }

    @Test
    void aParameterNoRuleMatchesIsAnError() {
        var rules = new ParamGroupRules(List.of(Rule.ofRank("matrices", 2, 2, null)), List.of());
        assertThatThrownBy(() -> rules.groups(gpt, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transformer.h.0.ln_1.weight").hasMessageContaining("catch-all");
    }

    @Test
    void groupsRefusesRulesThatNameAnOptimizer() {
        var rules = new ParamGroupRules(List.of(new Rule("all", "*", 0, null, 1, null, "lion")), List.of());
        assertThatThrownBy(() -> rules.groups(gpt, 0.1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("lion");
    }

    /**
     * Hidden matrices to Muon, everything else to the run's AdamW, as modded-nanogpt splits them: each parameter
     * moves exactly as it would under its own optimizer alone, and the rates are scheduled alike.
     */
    @Test
    void routesGroupsToTheirOwnOptimizers() {
        ComponentRegistry registry = ComponentRegistry.of(new OptimizersPlugin());
        Muon.Config muonConfig = new Muon.Config(0.02, 0.95, true, 5, 1e-7, 0, List.of(), null);
        var rules = new ParamGroupRules(List.of(
                new Rule("hidden", "transformer.h.*", 2, 2, 1.0, null, "muon"),
                new Rule("decay", "*", 2, null, 1.0, null, null),
                new Rule("no_decay", "*", 0, null, 1.0, 0.0, null)),
                List.of(new ComponentRef<>(ComponentKind.OPTIMIZER, "muon", muonConfig)));
        OptimizerFactory adamw = new AdamW.Factory(new AdamW.Config(6e-3, 0.9, 0.95, 1e-8, 0.1));
        Optimizer routed = rules.optimizer(gpt, adamw, registry);
        assertThat(routed.state()).containsKeys("transformer.h.0.attn.c_attn.weight.momentum_buffer",
                "transformer.wte.weight.exp_avg", "transformer.h.0.ln_1.bias.exp_avg_sq");
        assertThat(routed.state()).doesNotContainKey("transformer.h.0.attn.c_attn.weight.exp_avg");

        // The same update from each optimizer alone, on copies of the parameters.
        Map<String, Tensor> copies = new LinkedHashMap<>();
        for (var e : gpt.entrySet())
            copies.put(e.getKey(), param(be, e.getKey(), e.getValue().toFloatArray(), e.getValue().shape().dims()));
        List<Tensor> hidden = copies.values().stream().filter(p -> p.name().startsWith("transformer.h.") && p.rank() == 2).toList();
        Optimizer muonAlone = new Muon(muonConfig, adamw, List.of(new ParamGroup("hidden", hidden, 1, 0)));
        Optimizer adamAlone = adamw.create(new ParamGroupRules(List.of(new Rule("decay", "*", 2, null, 1.0, null, null),
                new Rule("no_decay", "*", 0, null, 1.0, 0.0, null)), List.of()).groups(withoutHidden(copies), 0.1));

        double scheduled = 3e-3; // the schedule's rate for AdamW's base 6e-3: half way
        for (var e : gpt.entrySet()) {
            float[] g = Fixtures.gradients((int) e.getValue().size(), e.getKey().hashCode());
            Fixtures.setGrad(e.getValue(), g);
            Fixtures.setGrad(copies.get(e.getKey()), g);
        }
        routed.step(new OptimizerStep(1, scheduled, null));
        muonAlone.step(new OptimizerStep(1, scheduled * 0.02 / 6e-3, null));
        adamAlone.step(new OptimizerStep(1, scheduled, null));
        for (var e : gpt.entrySet())
            assertThat(e.getValue().toFloatArray()).as(e.getKey()).isEqualTo(copies.get(e.getKey()).toFloatArray());
    }

    static Map<String, Tensor> withoutHidden(Map<String, Tensor> all) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : all.entrySet()) if (!(e.getKey().startsWith("transformer.h.") && e.getValue().rank() == 2)) out.put(e.getKey(), e.getValue());
        return out;
    }
}
