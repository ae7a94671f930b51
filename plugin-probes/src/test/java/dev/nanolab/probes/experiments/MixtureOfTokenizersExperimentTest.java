package dev.nanolab.probes.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.experiment.ExperimentPlan;
import dev.nanolab.api.experiment.ExperimentResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The experiment's plan (the devlog's variants, 3 seeds, one budget) and its report's arithmetic and verdicts. */
class MixtureOfTokenizersExperimentTest {
    private final MixtureOfTokenizersExperiment experiment = new MixtureOfTokenizersExperiment();

    @Test
    void planVariesTheEmbeddingOverTheDevlogsVariantsAndTheOpenIdeas() {
        ExperimentPlan plan = experiment.plan();
        assertThat(plan.preset()).isEqualTo("speedrun-modern");
        assertThat(plan.seeds()).isEqualTo(3);
        assertThat(plan.variations()).singleElement().satisfies(v -> {
            assertThat(v.key()).isEqualTo("model.embedding");
            assertThat(v.values()).hasSize(8).first().isEqualTo("token");
            assertThat(v.values()).anyMatch(x -> x.contains("self_attention_window: 4")).anyMatch(x -> x.contains("self_attention_window: 16"))
                    .anyMatch(x -> x.contains("self_attention_window: 64")).anyMatch(x -> x.contains("char_dim: 0"))
                    .anyMatch(x -> x.contains("residual: true")).anyMatch(x -> x.contains("pool: 4"));
        });
        assertThat(plan.overrides()).contains("train.max_iters=" + MixtureOfTokenizersExperiment.ITERS, "train.target_val_loss=0");
    }

    static ExperimentResult.Variant variant(String value, double[] ms, Optional<ExperimentResult.Change> change) {
        List<ExperimentResult.Run> runs = new ArrayList<>();
        for (int i = 0; i < ms.length; i++) runs.add(new ExperimentResult.Run(i, true, "", 4.0, 4.0, Path.of("x"), ms[i]));
        var s = new ExperimentResult.Summary(ms.length, 4.0, 0.01);
        return new ExperimentResult.Variant(value, Map.of("model.embedding", value), runs, s, s, s, change, Map.of());
    }

    @Test
    void reportGivesStepTimeRatiosVerdictsByTheIntervalAndTheWindowCost() {
        var values = new ArrayList<>(MixtureOfTokenizersExperiment.VARIANTS.values());
        List<ExperimentResult.Variant> vs = new ArrayList<>();
        vs.add(variant(values.get(0), new double[] {100, 110, 90}, Optional.empty()));
        // Negative is better (lower perplexity): the whole interval below zero.
        vs.add(variant(values.get(1), new double[] {150, 150, 150}, Optional.of(new ExperimentResult.Change(-0.03, -0.05, -0.01, 3, true, true))));
        vs.add(variant(values.get(2), new double[] {200, 200, 200}, Optional.of(new ExperimentResult.Change(0.03, 0.01, 0.05, 3, false, false))));
        vs.add(variant(values.get(3), new double[] {250, 250, 250}, Optional.of(new ExperimentResult.Change(0.0, -0.02, 0.02, 3, false, false))));
        vs.add(variant(values.get(4), new double[] {350, 350, 350}, Optional.empty()));
        List<String> lines = experiment.report(new ExperimentResult(Path.of("x"), 0.01, vs));
        assertThat(lines.get(1)).startsWith("token (baseline)").contains("100.0").contains("1.00");
        assertThat(lines.get(2)).startsWith("cross-attention only").contains("150.0").contains("1.50").contains("better than the token embedding");
        assertThat(lines.get(3)).contains("worse than the token embedding");
        assertThat(lines.get(4)).contains("no difference detected");
        assertThat(lines.get(5)).contains("no verdict");
        // Added over cross-only: 50 ms at w4, 100 at w16, 200 at w64; w64/w4 = 4.
        assertThat(lines.getLast()).contains("50.0 ms at w4").contains("100.0 ms at w16").contains("200.0 ms at w64")
                .contains("w64/w4 added-time ratio 4.00 (16 if");
    }
}
