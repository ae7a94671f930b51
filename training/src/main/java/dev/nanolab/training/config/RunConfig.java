package dev.nanolab.training.config;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.BackendFactory;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.DefaultComponent;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.metrics.MetricsSink;
import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.optim.LrSchedule;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.optim.ParamGroupRules;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.tensor.RandomStream;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A whole run: what {@code nanolab train --config FILE --set key=value} binds. Each component section names a
 * plugin component and carries its options:
 *
 * <pre>{@code
 * out_dir: runs/shakespeare
 * dataset: jdk-source
 * tokenizer: char
 * model: {name: gpt, n_layer: 6, n_head: 6, n_embd: 384, block_size: 256, dropout: 0.2, attention: softmax1}
 * optimizer: {name: adamw, lr: 1e-3, beta2: 0.99}
 * schedule: {name: warmup-cosine, warmup_iters: 100, lr_decay_iters: 5000, min_lr: 1e-4}
 * train: {batch_size: 64, max_iters: 5000, eval_interval: 250}
 * probes: [kurtosis, max-abs, attention-mass]
 * metrics: [jsonl, tensorboard]
 * }</pre>
 *
 * <p>{@code probes} (default: none) are measured at each evaluation, on its val batches only, and written to
 * metrics.jsonl; see {@link dev.nanolab.api.probe.Probe}.
 *
 * <p>{@code metrics} (default {@code [jsonl]}) are the sinks every record goes to. {@code jsonl} is always one of
 * them: {@code report} and {@code compare} read metrics.jsonl, so a list without it gets it first.
 */
public record RunConfig(
        @Doc("random seed: weights, batches and dropout") long seed,
        @Doc("where checkpoints, metrics.jsonl and samples go") String outDir,
        @Doc("the corpus") @DefaultComponent("jdk-source") ComponentRef<DatasetRecipe> dataset,
        @Doc("how text becomes token ids") @DefaultComponent("char") ComponentRef<TokenizerFactory> tokenizer,
        @Doc("train/val split and where token files go") DataConfig data,
        @Doc("the architecture and its size") @DefaultComponent("gpt") ComponentRef<Architecture> model,
        @Doc("the optimizer") @DefaultComponent("adamw") ComponentRef<OptimizerFactory> optimizer,
        @Doc("which parameters decay, at what rate, with which optimizer (default nanoGPT's: rank >= 2 decays)") ParamGroupRules paramGroups,
        @Doc("the learning-rate schedule") @DefaultComponent("warmup-cosine") ComponentRef<LrSchedule> schedule,
        @Doc("the compute backend") @DefaultComponent("cpu") ComponentRef<BackendFactory> backend,
        @Doc("the training loop") TrainConfig train,
        @Doc("sampling defaults") SampleConfig sample,
        @Doc("probes measured at each evaluation (val batches only), e.g. [kurtosis, max-abs]; default none") List<ComponentRef<Probe>> probes,
        @Doc("where records go, e.g. [jsonl, csv, tensorboard]; jsonl (read by report and compare) is always added") List<ComponentRef<MetricsSink>> metrics,
        @Doc("where the weights start: scratch (random), resume (same as --resume), or a Hugging Face GPT-2 folder (config.json, model.safetensors, tokenizer.json)") String initFrom) {

    /** The metrics sink every run writes: metrics.jsonl. */
    public static final ComponentRef<MetricsSink> JSONL = new ComponentRef<>(ComponentKind.METRICS_SINK, "jsonl", new NoOptions());
    /** {@code init_from} for random initial weights. */
    public static final String SCRATCH = "scratch";
    /** {@code init_from} that continues out_dir's last checkpoint. */
    public static final String RESUME = "resume";

    public RunConfig {
        probes = probes == null ? List.of() : List.copyOf(probes);
        metrics = withJsonl(metrics);
        initFrom = initFrom == null || initFrom.isBlank() ? SCRATCH : initFrom;
    }

    /** {@code metrics} with jsonl first when it is missing; a sink listed twice is refused. */
    private static List<ComponentRef<MetricsSink>> withJsonl(List<ComponentRef<MetricsSink>> metrics) {
        List<ComponentRef<MetricsSink>> out = new ArrayList<>();
        if (metrics == null || metrics.stream().noneMatch(r -> r.name().equals(JSONL.name()))) out.add(JSONL);
        Set<String> seen = new HashSet<>();
        for (ComponentRef<MetricsSink> r : metrics == null ? List.<ComponentRef<MetricsSink>>of() : metrics) {
            if (!seen.add(r.name())) throw new IllegalArgumentException("metrics: sink '" + r.name() + "' is listed twice");
            out.add(r);
        }
        return List.copyOf(out);
    }

    /** A run with probes and the default metrics sink (jsonl). */
    public RunConfig(long seed, String outDir, ComponentRef<DatasetRecipe> dataset, ComponentRef<TokenizerFactory> tokenizer,
                     DataConfig data, ComponentRef<Architecture> model, ComponentRef<OptimizerFactory> optimizer, ParamGroupRules paramGroups,
                     ComponentRef<LrSchedule> schedule, ComponentRef<BackendFactory> backend, TrainConfig train, SampleConfig sample,
                     List<ComponentRef<Probe>> probes) {
        this(seed, outDir, dataset, tokenizer, data, model, optimizer, paramGroups, schedule, backend, train, sample, probes, null, SCRATCH);
    }

    /** This run with other metrics sinks (jsonl is added when missing). */
    public RunConfig withMetrics(List<ComponentRef<MetricsSink>> sinks) {
        return new RunConfig(seed, outDir, dataset, tokenizer, data, model, optimizer, paramGroups, schedule, backend, train, sample, probes, sinks, initFrom);
    }

    /** The same run with weights starting from {@code initFrom}. */
    public RunConfig withInitFrom(String initFrom) {
        return new RunConfig(seed, outDir, dataset, tokenizer, data, model, optimizer, paramGroups, schedule, backend, train, sample, probes, metrics, initFrom);
    }

    /** Whether {@code init_from} names a Hugging Face folder (neither scratch nor resume). */
    public boolean initFromFolder() {
        return !initFrom.equals(SCRATCH) && !initFrom.equals(RESUME);
    }

    /** A run without probes. */
    public RunConfig(long seed, String outDir, ComponentRef<DatasetRecipe> dataset, ComponentRef<TokenizerFactory> tokenizer,
                     DataConfig data, ComponentRef<Architecture> model, ComponentRef<OptimizerFactory> optimizer, ParamGroupRules paramGroups,
                     ComponentRef<LrSchedule> schedule, ComponentRef<BackendFactory> backend, TrainConfig train, SampleConfig sample) {
        this(seed, outDir, dataset, tokenizer, data, model, optimizer, paramGroups, schedule, backend, train, sample, List.of(), null, SCRATCH);
    }

    public RunConfig() {
        this(1337, "runs/default", null, null, new DataConfig(), null, null, ParamGroupRules.nanoGPT(), null, null, new TrainConfig(), new SampleConfig(), List.of(), null, SCRATCH);
    }

    /**
     * What this run's model is built with: the seed's {@link RandomStream#WEIGHTS} and {@link RandomStream#DROPOUT}
     * streams. Training, checkpoints and the benchmarks all build through it.
     */
    public ModelContext modelContext(Backend backend, int vocabSize, ComponentRegistry registry) {
        return modelContext(backend, vocabSize, registry, null);
    }

    /** The same, with the run's tokenizer (which an input embedding such as mot reads). */
    public ModelContext modelContext(Backend backend, int vocabSize, ComponentRegistry registry, Tokenizer tokenizer) {
        return new ModelContext(backend, vocabSize, registry, RandomStream.WEIGHTS.of(seed), RandomStream.DROPOUT.of(seed), tokenizer);
    }
}
