package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.probe.Observation;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.probe.ProbeContext;
import dev.nanolab.api.probe.ProbeMetrics;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.attention.AttentionPlugin;
import dev.nanolab.cpu.CpuPlugin;
import dev.nanolab.models.ModelsPlugin;
import dev.nanolab.optimizers.OptimizersPlugin;
import dev.nanolab.tokenizers.TokenizersPlugin;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's probe hook: probes see each evaluation's val batches only, get the step before it (its gradients and
 * the parameters before it), write their records, and leave training exactly as it is without them.
 */
class TrainerProbeTest {
    @TempDir
    Path dir;

    static final String PARAM = "transformer.h.0.mlp.c_fc.weight";

    /** What the recording probe saw at one evaluation. */
    record Seen(long iter, int valBatches, Long updateIter, float[] before, float[] now, double gradNorm) {}

    static final List<Seen> SEEN = new ArrayList<>();

    /** Counts the batches that reach block 0 while attached, and copies what the last update shows. */
    static final class RecordingProbe implements Probe {
        @Override
        public boolean needsPreviousParameters() {
            return true;
        }

        @Override
        public Observation observe(ProbeContext ctx) {
            int[] batches = {0};
            var hook = ctx.model().namedLayers().get("transformer.h.0").addForwardHook((m, out) -> batches[0]++);
            return new Observation() {
                @Override
                public void report(ProbeMetrics out) {
                    var u = ctx.lastUpdate();
                    double norm = Double.NaN;
                    if (u.isPresent()) {
                        double ss = 0;
                        for (String name : u.get().parameters().keySet())
                            for (float g : u.get().gradient(name).orElseThrow().toFloatArray()) ss += (double) g * g;
                        norm = Math.sqrt(ss);
                    }
                    SEEN.add(new Seen(ctx.iteration(), batches[0], u.map(x -> x.iteration()).orElse(null),
                            u.flatMap(x -> x.before(PARAM)).orElse(null), ctx.model().namedParameters().get(PARAM).toFloatArray(), norm));
                    out.scalar("batches", batches[0]);
                    out.scalar("not_finite", Double.NaN);
                }

                @Override
                public void close() {
                    hook.close();
                }
            };
        }
    }

    public static final class RecordingPlugin extends Fixtures.TestPlugin {
        @ProvidesIntoSet
        public ComponentSpec<?, Probe> recording() {
            return ComponentSpec.of(ComponentKind.PROBE, "recording", "records what it sees", NoOptions.class, c -> new RecordingProbe());
        }
    }

    static final ComponentRegistry REGISTRY = ComponentRegistry.of(new AttentionPlugin(), new ModelsPlugin(), new OptimizersPlugin(),
            new TokenizersPlugin(), new CpuPlugin(), new Fixtures.TinyTextPlugin(), new RecordingPlugin(),
            new dev.nanolab.tracking.TrackingPlugin());

    static RunConfig withProbes(RunConfig c, List<ComponentRef<Probe>> probes) {
        return new RunConfig(c.seed(), c.outDir(), c.dataset(), c.tokenizer(), c.data(), c.model(), c.optimizer(), c.paramGroups(),
                c.schedule(), c.backend(), c.train(), c.sample(), probes);
    }

    @Test
    void probesSeeValBatchesAndTheStepBeforeEachEvaluationAndLeaveTrainingUnchanged() throws Exception {
        SEEN.clear();
        RunConfig plain = Fixtures.config(dir.resolve("plain"), 12, 5, 3e-3, "softmax");
        RunConfig probed = withProbes(Fixtures.config(dir.resolve("probed"), 12, 5, 3e-3, "softmax"),
                List.of(new ComponentRef<>(ComponentKind.PROBE, "recording", new NoOptions())));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        try (TrainingRun run = TrainingRun.open(plain, "", REGISTRY, quiet)) {
            new Trainer(run, Path.of(plain.outDir()), quiet).run(false);
        }
        Map<Long, float[]> beforeStep = new LinkedHashMap<>();
        try (TrainingRun run = TrainingRun.open(probed, "", REGISTRY, quiet)) {
            Map<String, Tensor> params = run.model().namedParameters();
            new Trainer(run, Path.of(probed.outDir()), quiet).beforeStep(iter -> beforeStep.put(iter, params.get(PARAM).toFloatArray())).run(false);
        }

        // Evaluations at 0, 5, 10 and the end (12); each sees eval_iters = 3 val batches, not the train-split batches.
        assertThat(SEEN).extracting(Seen::iter).containsExactly(0L, 5L, 10L, 12L);
        assertThat(SEEN).allSatisfy(s -> assertThat(s.valBatches()).isEqualTo(3));
        assertThat(SEEN.getFirst().updateIter()).isNull();
        List<JsonNode> train = TrainerTest.metrics(Path.of(probed.outDir()), "train");
        for (Seen s : SEEN.subList(1, SEEN.size())) {
            assertThat(s.updateIter()).isEqualTo(s.iter() - 1);
            assertThat(s.before()).as("θ before step %d", s.iter() - 1).containsExactly(beforeStep.get(s.iter() - 1));
            assertThat(s.now()).isNotEqualTo(s.before());
            double logged = train.get((int) s.iter() - 1).get("grad_norm").asDouble();
            assertThat(s.gradNorm()).as("gradient of step %d", s.iter() - 1).isCloseTo(logged, org.assertj.core.data.Offset.offset(1e-4 * logged));
        }

        List<JsonNode> records = TrainerTest.metrics(Path.of(probed.outDir()), "probe");
        assertThat(records).extracting(n -> n.get("iter").asLong()).containsExactly(0L, 5L, 10L, 12L);
        assertThat(records).allSatisfy(n -> {
            assertThat(n.get("probe").asText()).isEqualTo("recording");
            assertThat(n.get("batches").asDouble()).isEqualTo(3);
            assertThat(n.get("not_finite").isNull()).isTrue();
        });
        // Training itself is untouched: the same losses, bit for bit.
        List<JsonNode> a = TrainerTest.metrics(Path.of(plain.outDir()), "train");
        assertThat(train).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) assertThat(train.get(i).get("loss").asDouble()).isEqualTo(a.get(i).get("loss").asDouble());
        assertThat(TrainerTest.metrics(Path.of(plain.outDir()), "eval")).extracting(n -> n.get("val_loss").asDouble())
                .containsExactlyElementsOf(TrainerTest.metrics(Path.of(probed.outDir()), "eval").stream().map(n -> n.get("val_loss").asDouble()).toList());
    }
}
