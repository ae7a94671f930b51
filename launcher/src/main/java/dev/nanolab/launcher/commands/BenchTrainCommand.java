package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.launcher.Session;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.train.KernelProfile;
import dev.nanolab.training.train.PeakFlops;
import dev.nanolab.training.train.TrainStep;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nanolab bench train}: ms per training step (forward, backward, clipping, AdamW update) of presets, on random
 * token batches, so no data has to be prepared. A trainable tokenizer's vocabulary is taken as 65 (nanoGPT's
 * shakespeare_char), so figures compare with nanoGPT's.
 */
@Command(name = "train", description = "Time whole training steps of presets: median ms/step, tokens/s and MFU.")
public final class BenchTrainCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--preset", paramLabel = "NAME", description = "Preset(s) to time (repeatable; default cpu-demo).")
    List<String> presets = new ArrayList<>();

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps after warm-up (default 10).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default 3).")
    int warmup;

    @Option(names = "--vocab", defaultValue = "65", description = "Vocabulary size for trainable tokenizers (default 65).")
    int vocab;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override every preset, e.g. --set train.batch_size=4.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON rows instead of a table.")
    boolean json;

    @Option(names = "--profile", description = "Also print where the timed steps spent their time, kernel by kernel.")
    boolean profile;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    BenchTrainCommand(Session session) {
        this.session = session;
    }

    /** One preset's figures. */
    record Row(String preset, double params, int batch, int block, int accum, double msPerStep, double tokensPerS,
               double mfu, int threads, String device) {}

    @Override
    public Integer call() {
        var registry = session.plugins().registry();
        if (presets.isEmpty()) presets = List.of("cpu-demo");
        List<Row> rows = new ArrayList<>();
        for (String preset : presets) {
            ConfigOptions o = new ConfigOptions();
            o.preset = preset;
            o.sets = sets;
            RunConfig c = RunConfigs.bind(registry, o.tree()).config();
            rows.add(time(preset, c, registry));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ArrayNode arr = om.createArrayNode();
            for (Row r : rows) {
                ObjectNode n = arr.addObject();
                n.put("preset", r.preset()).put("params", r.params()).put("batch_size", r.batch()).put("block_size", r.block())
                        .put("gradient_accumulation_steps", r.accum()).put("ms_per_step", r.msPerStep())
                        .put("tokens_per_s", r.tokensPerS()).put("mfu", r.mfu()).put("threads", r.threads()).put("device", r.device());
            }
            out.println(arr.toPrettyString());
        } else {
            out.printf("%-18s %9s %16s %12s %12s %7s %8s%n", "preset", "params", "B×T×accum", "ms/step", "tokens/s", "MFU", "threads");
            for (Row r : rows)
                out.printf("%-18s %8.2fM %16s %12.1f %,12.0f %6.1f%% %8d%n", r.preset(), r.params() / 1e6,
                        r.batch() + "×" + r.block() + "×" + r.accum(), r.msPerStep(), r.tokensPerS(), 100 * r.mfu(), r.threads());
            out.println("(median of " + steps + " steps after " + warmup + " warm-up steps; MFU against the backend's peak FLOP/s)");
        }
        return 0;
    }

    private void printProfile(String preset, KernelProfile prof, double totalMs) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: where %d steps spent %.1f ms%n", preset, steps, totalMs);
        double covered = 0;
        for (KernelProfile.Line l : prof.lines()) {
            covered += l.ms();
            out.printf("  %-32s %8d calls %10.1f ms %6.1f%%%n", l.kernel(), l.calls(), l.ms(), 100 * l.ms() / totalMs);
        }
        out.printf("  %-32s %17s %10.1f ms %6.1f%%%n", "(outside kernels)", "", totalMs - covered, 100 * (totalMs - covered) / totalMs);
    }

    private Row time(String preset, RunConfig c, dev.nanolab.api.plugin.ComponentRegistry registry) {
        TokenizerFactory tf = c.tokenizer().create(registry);
        int v = tf.trainable() ? vocab : tf.train(dev.nanolab.api.data.TextCorpus.of("none")).vocabSize();
        KernelProfile prof = new KernelProfile();
        try (Backend opened = c.backend().create(registry).open()) {
            Backend be = profile ? prof.wrap(opened) : opened;
            Rng root = new Rng(c.seed());
            LanguageModel model = c.model().create(registry).build(new ModelContext(be, v, registry, root.fork(1), root.fork(2)));
            OptimizerFactory of = c.optimizer().create(registry);
            var optimizer = c.paramGroups().optimizer(model.namedParameters(), of, registry);
            int b = c.train().batchSize(), t = model.blockSize(), accum = c.train().gradientAccumulationSteps();
            TrainStep step = new TrainStep(model, optimizer, b, t, accum, c.train().gradClip());
            Rng data = root.fork(3);
            int[] ids = new int[b * t], targets = new int[b * t];
            TrainStep.Batches batches = (x, y) -> {
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = data.nextInt(model.vocabSize());
                    targets[i] = data.nextInt(model.vocabSize());
                }
                x.set(ids);
                y.set(targets);
            };
            double lr = of.learningRate();
            for (int i = 0; i < warmup; i++) step.run(i, lr, batches);
            prof.reset();
            double[] ms = new double[steps];
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                step.run(warmup + i, lr, batches);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            if (profile) printProfile(preset, prof, Arrays.stream(ms).sum());
            Arrays.sort(ms);
            double median = steps % 2 == 1 ? ms[steps / 2] : (ms[steps / 2 - 1] + ms[steps / 2]) / 2;
            double flops = model.trainingFlopsPerToken(t) * t * b * accum;
            double peak = c.train().peakFlops() > 0 ? c.train().peakFlops() : PeakFlops.measure(be);
            return new Row(preset, model.reportedParameterCount(), b, t, accum, median, b * t * accum / (median / 1e3),
                    flops / (median / 1e3) / peak, be.threads(), be.device());
        }
    }
}
