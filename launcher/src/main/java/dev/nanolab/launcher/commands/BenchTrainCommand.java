package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.tensor.RandomStream;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.launcher.Session;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.train.KernelProfile;
import dev.nanolab.training.train.PeakFlops;
import dev.nanolab.training.train.TrainStep;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nanolab bench train}: ms per training step (forward, backward, clipping, AdamW update) of presets, on random
 * token batches, so no data has to be prepared. A trainable tokenizer's vocabulary is taken as 65 (nanoGPT's
 * shakespeare_char), so figures compare with nanoGPT's.
 *
 * <p>With {@code --vary KEY=A,B,...} every preset is timed once per value, side by side: all variants are built first
 * and their timed steps interleave (one step of each in turn), so a shared machine's load falls on all of them alike,
 * and each row gives its median's ratio to the first variant's.
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

    @Option(names = "--vary", paramLabel = "KEY=A,B,...", description = "Time each value side by side (interleaved steps), e.g. --vary model.attention=softmax,softmax1.")
    String vary;

    @Option(names = "--json", description = "Print JSON rows instead of a table.")
    boolean json;

    @Option(names = "--profile", description = "Also print where the timed steps spent their time, kernel by kernel.")
    boolean profile;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    BenchTrainCommand(Session session) {
        this.session = session;
    }

    /** One preset's (or variant's) figures; {@code ratio} is ms/step over the first variant's (1 without --vary). */
    record Row(String preset, String variant, double params, int batch, int block, int accum, double msPerStep, double tokensPerS,
               double mfu, int threads, String device, double ratio) {}

    @Override
    public Integer call() {
        var registry = session.plugins().registry();
        if (presets.isEmpty()) presets = List.of("cpu-demo");
        // The same KEY=A,B,... syntax as compare's --vary ([..] and {..} values keep their commas).
        List<Map<String, String>> variants = vary == null ? List.of(Map.of())
                : Comparer.combinations(List.of(Comparer.parseVary(vary)));
        List<Row> rows = new ArrayList<>();
        for (String preset : presets) {
            List<Setup> setups = new ArrayList<>();
            try {
                for (Map<String, String> variant : variants) {
                    List<String> overrides = new ArrayList<>(sets);
                    variant.forEach((k, v) -> overrides.add(k + "=" + v));
                    RunConfig c = RunConfigs.bind(registry, ConfigTree.override(ConfigOptions.presetTree(preset), overrides)).config();
                    setups.add(new Setup(preset, String.join(" ", overrides.subList(sets.size(), overrides.size())), c, registry));
                }
                rows.addAll(time(setups));
            } finally {
                for (Setup s : setups) s.close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        long peakRss = peakResidentMib();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ArrayNode arr = om.createArrayNode();
            for (Row r : rows) {
                ObjectNode n = arr.addObject();
                n.put("preset", r.preset());
                if (vary != null) n.put("variant", r.variant()).put("ratio", r.ratio());
                n.put("params", r.params()).put("batch_size", r.batch()).put("block_size", r.block())
                        .put("gradient_accumulation_steps", r.accum()).put("ms_per_step", r.msPerStep())
                        .put("tokens_per_s", r.tokensPerS()).put("mfu", r.mfu()).put("threads", r.threads()).put("device", r.device());
                if (peakRss >= 0) n.put("peak_rss_mib", peakRss);
            }
            out.println(arr.toPrettyString());
        } else {
            String variantHeader = vary == null ? "" : String.format("%-34s %7s ", "variant", "ratio");
            out.printf("%-18s %s%9s %16s %12s %12s %7s %8s%n", "preset", variantHeader, "params", "B×T×accum", "ms/step", "tokens/s", "MFU", "threads");
            for (Row r : rows) {
                String variant = vary == null ? "" : String.format(java.util.Locale.ROOT, "%-34s %7.3f ", r.variant(), r.ratio());
                out.printf("%-18s %s%8.2fM %16s %12.1f %,12.0f %6.1f%% %8d%n", r.preset(), variant, r.params() / 1e6,
                        r.batch() + "×" + r.block() + "×" + r.accum(), r.msPerStep(), r.tokensPerS(), 100 * r.mfu(), r.threads());
            }
            out.println("(median of " + steps + " steps after " + warmup + " warm-up steps"
                    + (vary == null ? "" : ", variants interleaved step by step; ratio: ms/step over the first variant's")
                    + "; MFU against the backend's peak FLOP/s)");
            if (peakRss >= 0) out.println("peak resident memory of this process: " + peakRss + " MiB (VmHWM)");
        }
        return 0;
    }

    /**
     * The process's peak resident set (Linux's VmHWM, as PyTorch's peer reads ru_maxrss), in MiB; -1 where
     * /proc/self/status is not there. It covers the JVM itself and every setup of the run.
     */
    static long peakResidentMib() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
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

    private final java.util.Map<String, Double> peaks = new java.util.HashMap<>();

    /** One model with its optimizer, training step and random batches, ready to time. */
    private final class Setup implements AutoCloseable {
        final String preset, variant;
        final RunConfig config;
        final KernelProfile prof = new KernelProfile();
        final Backend opened, be;
        final LanguageModel model;
        final TrainStep step;
        final TrainStep.Batches batches;
        final double lr, peak;
        final int b, t, accum;

        Setup(String preset, String variant, RunConfig c, dev.nanolab.api.plugin.ComponentRegistry registry) {
            this.preset = preset;
            this.variant = variant;
            this.config = c;
            var tokenizer = BenchCommand.tokenizer(c, registry, vocab);
            int v = tokenizer.vocabSize();
            opened = c.backend().create(registry).open();
            be = profile ? prof.wrap(opened) : opened;
            // One peak per device and thread count, measured before any model exists: variants share the machine's
            // ceiling (re-measuring it beside other variants' idle pools gave erratic figures).
            peak = c.train().peakFlops() > 0 ? c.train().peakFlops()
                    : peaks.computeIfAbsent(opened.device() + "/" + opened.threads(), k -> PeakFlops.measure(opened));
            model = c.model().create(registry).build(c.modelContext(be, v, registry, tokenizer));
            OptimizerFactory of = c.optimizer().create(registry);
            var optimizer = c.paramGroups().optimizer(model.namedParameters(), of, registry);
            b = c.train().batchSize();
            t = model.blockSize();
            accum = c.train().gradientAccumulationSteps();
            step = new TrainStep(model, optimizer, b, t, accum, c.train().gradClip());
            Rng data = RandomStream.TRAIN_BATCHES.of(c.seed());
            int[] ids = new int[b * t], targets = new int[b * t];
            batches = (x, y) -> {
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = data.nextInt(model.vocabSize());
                    targets[i] = data.nextInt(model.vocabSize());
                }
                x.set(ids);
                y.set(targets);
            };
            lr = of.learningRate();
        }

        double timeStep(long iter) {
            long t0 = System.nanoTime();
            step.run(iter, lr, batches);
            return (System.nanoTime() - t0) / 1e6;
        }

        @Override
        public void close() {
            opened.close();
        }
    }

    /** Warms every setup, then times them step by step in turn. */
    private List<Row> time(List<Setup> setups) {
        for (Setup s : setups) for (int i = 0; i < warmup; i++) s.timeStep(i);
        for (Setup s : setups) s.prof.reset();
        double[][] ms = new double[setups.size()][steps];
        for (int i = 0; i < steps; i++)
            for (int j = 0; j < setups.size(); j++) ms[j][i] = setups.get(j).timeStep(warmup + i);
        List<Row> rows = new ArrayList<>();
        double first = Double.NaN;
        for (int j = 0; j < setups.size(); j++) {
            Setup s = setups.get(j);
            if (profile) printProfile(s.variant.isEmpty() ? s.preset : s.preset + " " + s.variant, s.prof, Arrays.stream(ms[j]).sum());
            double median = BenchCommand.median(ms[j]);
            if (j == 0) first = median;
            double flops = s.model.trainingFlopsPerToken(s.t) * s.t * s.b * s.accum;
            rows.add(new Row(s.preset, s.variant, s.model.reportedParameterCount(), s.b, s.t, s.accum, median,
                    s.b * s.t * s.accum / (median / 1e3), flops / (median / 1e3) / s.peak, s.be.threads(), s.be.device(), median / first));
        }
        return rows;
    }
}
