package dev.nanolab.training.train;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.optim.LrSchedule;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.probe.Histogram;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.training.probe.ProbeSet;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.RandomStream;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.config.TrainConfig;
import dev.nanolab.training.data.BatchSampler;
import dev.nanolab.training.data.TokenFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * nanoGPT's training loop: random-offset batches, gradient accumulation, global-norm clipping, AdamW (or any
 * optimizer) on a schedule, evaluation of train and val loss every {@code eval_interval} steps, checkpoints, and a
 * log line with loss, ms/step, tokens/s and MFU.
 *
 * <p>One step, from token file to update: the {@link BatchSampler} copies B windows of T+1 ids from the
 * memory-mapped train file into two int tensors; the model's loss runs forward (embedding, blocks, fused
 * cross-entropy) and backward inside a {@link TensorScope}, whose storage returns to the backend's pool at the end;
 * the squared gradient norms are summed on the backend and turned into a clipping factor there; the optimizer reads
 * the factor and updates each parameter in one fused kernel pass.
 *
 * <p>Iterations 0 … max_iters−1 each make one update; evaluation (and checkpointing) happens before the update of
 * every iteration divisible by eval_interval, and once more at the end. A checkpoint taken at iteration i resumes at
 * i, with the weights, optimizer state and generators it had then, so the resumed run repeats the uninterrupted one
 * step for step.
 *
 * <p>Probes (the config's {@code probes}) attach to the model during the val batches of each evaluation and write one
 * {@code "probe"} record each to metrics.jsonl; see {@link ProbeSet}. Every record goes to each of the config's metrics
 * sinks ({@link MetricsLog}).
 */
public final class Trainer {
    public static final String LAST = "last.safetensors", BEST = "best.safetensors";

    /** What a run ended with. */
    /**
     * @param steps            optimizer steps taken (fewer than max_iters when the target was reached)
     * @param reachedTarget    whether train.target_val_loss was set and reached
     * @param trainSeconds     time spent in training steps, evaluations excluded (a speedrun's clock)
     */
    public record Result(long steps, double lastTrainLoss, double bestValLoss, double lastValLoss, boolean reachedTarget,
                         double trainSeconds) {}

    private final TrainingRun run;
    private final TrainConfig cfg;
    private final Path outDir;
    private final PrintStream log;
    private Checkpoint.Sink sink = Checkpoint.FILES;
    private java.util.function.LongConsumer beforeStep = iter -> {};

    public Trainer(TrainingRun run, Path outDir, PrintStream log) {
        this.run = run;
        this.cfg = run.config().train();
        this.outDir = outDir;
        this.log = log;
    }

    /** Runs before each training step's update (tests simulate a crash with it). */
    public Trainer beforeStep(java.util.function.LongConsumer hook) {
        this.beforeStep = hook;
        return this;
    }

    /** Replaces how checkpoint files are opened (tests simulate a full disk). */
    public Trainer checkpointSink(Checkpoint.Sink sink) {
        this.sink = sink;
        return this;
    }

    public Result run(boolean resume) throws IOException {
        Files.createDirectories(outDir);
        LanguageModel model = run.model();
        Backend be = run.backend();
        Map<String, Tensor> params = model.namedParameters();
        OptimizerFactory factory = run.optimizerFactory();
        Optimizer optimizer = run.config().paramGroups().optimizer(params, factory, run.registry());
        LrSchedule schedule = run.schedule();
        int block = model.blockSize(), batch = cfg.batchSize(), accum = cfg.gradientAccumulationSteps();
        TokenFile trainTokens = run.data().train();
        BatchSampler sampler = new BatchSampler(trainTokens, batch, block, RandomStream.TRAIN_BATCHES.of(run.config().seed()));
        long start = 0;
        double best = Double.NaN;
        long skipped = 0;
        if (resume) {
            Path last = outDir.resolve(LAST);
            CheckpointPair.repair(outDir, log);
            Checkpoint ck = Checkpoint.read(last, note -> log.println("note: " + note));
            checkCompatible(ck, last);
            if (ck.optimizer().isEmpty() && !optimizer.state().isEmpty())
                throw new IOException("cannot resume from " + last + ": its optimizer state " + Checkpoint.stateFile(last)
                        + " is missing (the weights alone can be fine-tuned with init_from or evaluated, not resumed exactly)");
            Checkpoint.load(ck.model(), Checkpoint.modelTensors(model), last.toString());
            optimizer.loadState(unwrap(ck.optimizer()));
            sampler.rng().restore(ck.state().batchRng());
            run.dropoutRng().restore(ck.state().dropoutRng());
            start = ck.state().step();
            best = ck.state().bestValLoss();
            skipped = ck.state().skippedSteps();
            log.printf("resuming from %s at iteration %d (best val loss %.4f)%n", last, start, best);
        }
        log.printf("model: %s, %.2fM parameters; %s; %,d train tokens, %,d val tokens%n", run.config().model().name(),
                model.reportedParameterCount() / 1e6, be.device(), trainTokens.count(), run.data().val().count());
        double peak = cfg.peakFlops() > 0 ? cfg.peakFlops() : PeakFlops.measure(be);
        log.printf("MFU against a peak of %.1f GFLOP/s: %s%n", peak / 1e9, cfg.peakFlops() > 0 ? "train.peak_flops"
                : Double.isNaN(be.peakFlops()) || be.peakFlops() <= 0 ? "the best GEMM rate measured now" : be.peakFlopsSource());
        boolean capped = false;
        double flopsPerStep = model.trainingFlopsPerToken(block) * block * batch * accum;

        TrainStep step = new TrainStep(model, optimizer, batch, block, accum, cfg.gradClip());
        TrainStep.Batches batches = sampler::next;
        ProbeSet probes = probes();
        double lastTrain = Double.NaN, lastVal = Double.NaN;
        double trainMs = 0;
        long wallStart = System.nanoTime();
        try (MetricsLog metrics = MetricsLog.open(run, outDir, start);
             Progress progress = new Progress(cfg.progressBar(), "train", start, cfg.maxIters())) {
            for (long iter = start; ; iter++) {
                double lr = schedule.lr(iter, factory.learningRate());
                boolean end = iter >= cfg.maxIters();
                if (iter % cfg.evalInterval() == 0 || end || cfg.evalOnly()) {
                    recalibrate(iter);
                    double trainLoss = estimateLoss("train", iter), valLoss;
                    try (ProbeSet.Observing observing = probes.observe(iter, model)) {
                        valLoss = estimateLoss("val", iter); // probes see these batches only
                        for (ProbeSet.Report p : observing.reports()) metrics.write(probeRecord(metrics, iter, p));
                    }
                    lastVal = valLoss;
                    if (!Double.isFinite(trainLoss) || !Double.isFinite(valLoss))
                        throw nonFiniteEval(iter, trainLoss, valLoss, params);
                    String line = String.format("step %d: train loss %.4f, val loss %.4f", iter, trainLoss, valLoss);
                    if (progress.active()) System.out.println();
                    log.println(line);
                    MetricsRecord.Builder r = metrics.record("eval", iter);
                    r.put("train_loss", trainLoss).put("val_loss", valLoss).put("lr", lr);
                    metrics.write(r);
                    boolean improved = Double.isNaN(best) || valLoss < best;
                    if (improved) best = valLoss;
                    if (iter > 0 && !cfg.evalOnly()) {
                        Checkpoint ck = checkpoint(model, optimizer, iter, sampler.rng(), best, valLoss, skipped);
                        checkFinite(ck, iter); // a run that has gone non-finite never writes a checkpoint
                        // best first: a kill between the two leaves last behind, which a resume brings up to best
                        // (CheckpointPair.repair); last first would leave best stale for good.
                        if (improved) save(ck, BEST);
                        if (improved || cfg.alwaysSaveCheckpoint()) save(ck, LAST);
                    }
                    if (cfg.targetValLoss() > 0 && valLoss <= cfg.targetValLoss() && !cfg.evalOnly()) {
                        // A speedrun's finish line: steps and training time (evaluations excluded, as modded-nanogpt times).
                        log.printf(java.util.Locale.ROOT, "reached target val loss %.4f at step %d: %.1f s training, %.1f s wall%n",
                                cfg.targetValLoss(), iter, trainMs / 1e3, (System.nanoTime() - wallStart) / 1e9);
                        MetricsRecord.Builder hit = metrics.record("target", iter);
                        hit.put("target_val_loss", cfg.targetValLoss()).put("val_loss", valLoss).put("train_time_s", trainMs / 1e3)
                                .put("wall_time_s", (System.nanoTime() - wallStart) / 1e9);
                        metrics.write(hit);
                        return new Result(iter, lastTrain, best, valLoss, true, trainMs / 1e3);
                    }
                }
                if (end || cfg.evalOnly()) break;

                beforeStep.accept(iter);
                long t0 = System.nanoTime();
                TrainStep.Outcome o;
                boolean evalFollows = (iter + 1) % cfg.evalInterval() == 0 || iter + 1 >= cfg.maxIters();
                probes.beforeUpdate(iter, evalFollows, params);
                try {
                    o = step.run(iter, lr, batches);
                } catch (TrainStep.NonFiniteLoss | TrainStep.NonFiniteGradient e) {
                    String what = e instanceof TrainStep.NonFiniteLoss l ? "loss " + l.value : "gradient norm " + ((TrainStep.NonFiniteGradient) e).norm;
                    if (!cfg.skipNonFinite()) {
                        throw e instanceof TrainStep.NonFiniteLoss l ? nonFinite(iter, l.microStep, l.value, params)
                                : nonFiniteGradient(iter, ((TrainStep.NonFiniteGradient) e).norm, params);
                    }
                    skipped++;
                    if (progress.active()) System.out.println();
                    log.printf("iter %d: skipped (%s; no update applied), %d skipped so far%n", iter, what, skipped);
                    MetricsRecord.Builder r = metrics.record("train", iter);
                    r.put("loss", null).put("lr", lr).put("skipped", true).put("skipped_steps", skipped);
                    metrics.write(r);
                    continue;
                }
                probes.afterUpdate(iter);
                double ms = (System.nanoTime() - t0) / 1e6;
                trainMs += ms;
                lastTrain = o.loss();
                double gradNorm = o.gradNorm();
                double tokensPerS = (double) batch * block * accum / (ms / 1e3);
                double mfu = flopsPerStep / (ms / 1e3) / peak;
                if (mfu > 1) {
                    // A step faster than the peak means the peak was measured low: say so once, never print over 100%.
                    if (!capped) log.printf("note: a step ran at %.0f%% of the peak; MFU is capped at 100%% (set train.peak_flops)%n", 100 * mfu);
                    capped = true;
                    mfu = 1;
                }
                progress.step(iter + 1, lastTrain, ms);
                if (iter % cfg.logInterval() == 0) {
                    if (!progress.active())
                        log.printf("iter %d: loss %.4f, lr %.3e, grad norm %.3f, time %.1fms, %,.0f tok/s, mfu %.2f%%%n",
                                iter, lastTrain, lr, gradNorm, ms, tokensPerS, 100 * mfu);
                    MetricsRecord.Builder r = metrics.record("train", iter);
                    r.put("loss", lastTrain).put("lr", lr).put("grad_norm", gradNorm).put("ms", ms)
                            .put("tokens_per_s", tokensPerS).put("mfu", mfu);
                    if (cfg.skipNonFinite()) r.put("skipped_steps", skipped);
                    metrics.write(r);
                }
            }
        }
        return new Result(cfg.maxIters(), lastTrain, best, lastVal, false, trainMs / 1e3);
    }

    /**
     * Lets the model re-estimate statistics it keeps for evaluation (PreciseBN for batch norm) from training batches
     * drawn from their own generator, fixed by the seed and the iteration, so the training batches are untouched.
     */
    private void recalibrate(long iter) {
        LanguageModel model = run.model();
        Rng rng = RandomStream.RECALIBRATION_BATCHES.of(run.config().seed(), iter);
        BatchSampler s = new BatchSampler(run.data().train(), cfg.batchSize(), model.blockSize(), rng);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = s.newBatchTensor(run.backend()), y = s.newBatchTensor(run.backend());
            model.recalibrate(() -> {
                s.next(x, y);
                return x;
            });
        }
    }

    // ------------------------------------------------------------------ probes (issue 9)

    /** The config's probes, created from the registry. */
    private ProbeSet probes() {
        var refs = run.config().probes();
        if (refs.isEmpty()) return ProbeSet.none();
        List<String> names = new ArrayList<>();
        List<Probe> made = new ArrayList<>();
        for (var ref : refs) {
            names.add(ref.name());
            made.add(ref.create(run.registry()));
        }
        return ProbeSet.named(names, made);
    }

    private static MetricsRecord.Builder probeRecord(MetricsLog metrics, long iter, ProbeSet.Report report) {
        MetricsRecord.Builder r = metrics.record("probe", iter);
        r.put("probe", report.probe());
        report.values().forEach((key, value) -> r.put(key, value instanceof Histogram
                || value instanceof Double d && Double.isFinite(d) ? value : null));
        return r;
    }

    /** Mean loss over eval_iters batches of a split, drawn from a generator fixed by the seed and the iteration. */
    double estimateLoss(String split, long iter) {
        LanguageModel model = run.model();
        TokenFile tokens = run.data().split(split);
        Rng rng = (split.equals("val") ? RandomStream.EVAL_VAL_BATCHES : RandomStream.EVAL_TRAIN_BATCHES).of(run.config().seed(), iter);
        int block = Math.min(model.blockSize(), (int) Math.min(Integer.MAX_VALUE, tokens.count() - 1));
        BatchSampler s = new BatchSampler(tokens, cfg.batchSize(), block, rng);
        model.eval();
        double sum = 0;
        try (GradMode.Scope ng = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
            Tensor x = s.newBatchTensor(run.backend()), y = s.newBatchTensor(run.backend());
            for (int i = 0; i < cfg.evalIters(); i++) {
                s.next(x, y);
                try (TensorScope step = TensorScope.open()) {
                    sum += run.model().loss(x, y).item();
                }
            }
        }
        model.train();
        return sum / cfg.evalIters();
    }

    private Checkpoint checkpoint(LanguageModel model, Optimizer optimizer, long step, Rng batchRng, double best, double valLoss, long skipped) {
        var tok = run.data().tokenizer();
        return new Checkpoint(Checkpoint.copy(Checkpoint.modelTensors(model)), Checkpoint.copy(optimizer.state()),
                new Checkpoint.State(step, run.configYaml(), run.config().model().name(), model.vocabSize(), tok.name(),
                        tok.fingerprint(), tok.state(), batchRng.state(), run.dropoutRng().state(), best, valLoss, skipped));
    }

    private void save(Checkpoint ck, String name) {
        try {
            ck.write(outDir.resolve(name), sink);
        } catch (IOException e) {
            throw new TrainingStoppedException(e.getMessage(), e);
        }
    }

    private static Map<String, float[]> unwrap(Map<String, dev.nanolab.training.checkpoint.Safetensors.Entry> m) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.values()));
        return out;
    }

    private void checkCompatible(Checkpoint ck, Path file) {
        var tok = run.data().tokenizer();
        if (!ck.state().architecture().equals(run.config().model().name()))
            throw new IllegalArgumentException(file + " is a " + ck.state().architecture() + " checkpoint; this config builds a " + run.config().model().name());
        if (!ck.state().fingerprint().equals(tok.fingerprint()))
            throw new IllegalArgumentException(file + " was trained with tokenizer " + ck.state().tokenizer() + " (" + ck.state().fingerprint().substring(0, 12)
                    + "…), not with this run's " + tok.name() + " (" + tok.fingerprint().substring(0, 12) + "…)");
        if (ck.state().vocabSize() != run.model().vocabSize())
            throw new IllegalArgumentException(file + " has vocabulary " + ck.state().vocabSize() + "; this model has " + run.model().vocabSize());
    }

    /** The message of a NaN or Inf loss: the step, and the first parameter or gradient that is no longer finite. */
    private TrainingStoppedException nonFinite(long iter, int micro, float value, Map<String, Tensor> params) {
        String where = "";
        for (var e : params.entrySet()) {
            if (!allFinite(e.getValue().toFloatArray())) {
                where = "; parameter " + e.getKey() + " holds non-finite values";
                break;
            }
            Tensor g = e.getValue().grad();
            if (g != null && !allFinite(g.toFloatArray())) {
                where = "; the gradient of " + e.getKey() + " holds non-finite values";
                break;
            }
        }
        return new TrainingStoppedException("loss became " + value + " at iteration " + iter
                + (cfg.gradientAccumulationSteps() > 1 ? " (micro-step " + micro + ")" : "") + where + "; stopped, no update applied. "
                + CheckpointPair.lastGood(outDir) + " (lower the learning rate, set train.grad_clip, or set train.skip_non_finite)", null);
    }

    /** The message of gradients whose norm is NaN or infinite: no update was applied. */
    private TrainingStoppedException nonFiniteGradient(long iter, double norm, Map<String, Tensor> params) {
        String where = "; no gradient holds a non-finite value (their squared sum overflowed)";
        for (var e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g != null && !allFinite(g.toFloatArray())) {
                where = "; the first non-finite tensor is the gradient of " + e.getKey();
                break;
            }
        }
        return new TrainingStoppedException("gradient norm became " + norm + " at iteration " + iter + where
                + "; stopped, no update applied. " + CheckpointPair.lastGood(outDir)
                + " (lower the learning rate, set train.grad_clip, or set train.skip_non_finite)", null);
    }

    /** A non-finite evaluation loss: the weights can no longer be trusted, so nothing is saved. */
    private TrainingStoppedException nonFiniteEval(long iter, double train, double val, Map<String, Tensor> params) {
        String where = "";
        for (var e : params.entrySet()) {
            if (!allFinite(e.getValue().toFloatArray())) {
                where = "; the first non-finite tensor is parameter " + e.getKey();
                break;
            }
        }
        return new TrainingStoppedException("the evaluation at iteration " + iter + " gave train loss " + train + ", val loss " + val
                + where + "; stopped without writing a checkpoint. " + CheckpointPair.lastGood(outDir), null);
    }

    /** Refuses to save a checkpoint holding a NaN or infinity, naming the step and the first such tensor. */
    private void checkFinite(Checkpoint ck, long iter) {
        for (var group : List.of(ck.model(), ck.optimizer())) {
            for (var e : group.entrySet()) {
                if (!allFinite(e.getValue().values())) {
                    String name = (group == ck.model() ? "" : "optimizer state ") + e.getKey();
                    throw new TrainingStoppedException("tensor " + name + " holds non-finite values at iteration " + iter
                            + "; stopped without writing a checkpoint. " + CheckpointPair.lastGood(outDir), null);
                }
            }
        }
    }

    private static boolean allFinite(float[] v) {
        for (float f : v) if (!Float.isFinite(f)) return false;
        return true;
    }
}
