package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.launcher.Session;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.sample.Sampler;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nanolab bench sample}: generation speed of presets' models (randomly initialised: the weights do not change
 * the cost), with the model's incremental decoder (the KV cache for a GPT) and, for comparison, recomputing the whole
 * context for every token as nanoGPT's {@code generate} does.
 */
@Command(name = "sample", description = "Time generation: tokens/s with the KV cache and without it.")
public final class BenchSampleCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--preset", paramLabel = "NAME", description = "Preset(s) to time (repeatable; default cpu-demo).")
    List<String> presets = new ArrayList<>();

    @Option(names = "--tokens", defaultValue = "0",
            description = "Tokens to generate per measurement (default: block_size − 1, the whole context the cache serves).")
    int tokens;

    @Option(names = "--repeats", defaultValue = "9", description = "Timed generations per path; the median is reported (default 9).")
    int repeats;

    @Option(names = "--vocab", defaultValue = "65", description = "Vocabulary size for trainable tokenizers (default 65).")
    int vocab;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override every preset.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON rows instead of a table.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    BenchSampleCommand(Session session) {
        this.session = session;
    }

    record Row(String preset, int tokens, double cachedTokensPerS, double recomputeTokensPerS, int threads) {}

    @Override
    public Integer call() {
        var registry = session.plugins().registry();
        if (repeats < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--repeats must be >= 1, got " + repeats);
        if (presets.isEmpty()) presets = List.of("cpu-demo");
        List<Row> rows = new ArrayList<>();
        for (String preset : presets) {
            RunConfig c = RunConfigs.bind(registry, ConfigTree.override(ConfigOptions.presetTree(preset), sets)).config();
            var tokenizer = BenchCommand.tokenizer(c, registry, vocab);
            int v = tokenizer.vocabSize();
            try (Backend be = c.backend().create(registry).open()) {
                LanguageModel model = c.model().create(registry).build(c.modelContext(be, v, registry, tokenizer));
                // Past block_size the context is cropped as nanoGPT does, which moves every position: both paths then
                // recompute, so by default only the tokens the cache can serve are timed.
                int n = tokens > 0 ? tokens : Math.max(1, Math.min(model.blockSize(), 4096) - 1);
                var opts = new Sampler.Options(1.0, 0, 1.0, n, -1);
                int[] prompt = {0};
                // Warm up both paths, then time them.
                for (int w = 0; w < 3; w++) {
                    new Sampler(model, opts, 1).generate(prompt, null);
                    new Sampler(model, opts, 1).withoutCache().generate(prompt, null);
                }
                // One generation of a short context takes milliseconds: time several, the two paths alternating so
                // load falls on both alike, and keep each path's median.
                double[] cachedMs = new double[repeats], recomputeMs = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    new Sampler(model, opts, 2).generate(prompt, null);
                    cachedMs[r] = (System.nanoTime() - t0) / 1e6;
                    t0 = System.nanoTime();
                    new Sampler(model, opts, 2).withoutCache().generate(prompt, null);
                    recomputeMs[r] = (System.nanoTime() - t0) / 1e6;
                }
                rows.add(new Row(preset, n, n / (BenchCommand.median(cachedMs) / 1e3), n / (BenchCommand.median(recomputeMs) / 1e3), be.threads()));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode arr = new ObjectMapper().createArrayNode();
            for (Row r : rows)
                arr.addObject().put("preset", r.preset()).put("tokens", r.tokens()).put("tokens_per_s", r.cachedTokensPerS())
                        .put("recompute_tokens_per_s", r.recomputeTokensPerS()).put("threads", r.threads());
            out.println(arr.toPrettyString());
        } else {
            out.printf("%-18s %8s %18s %22s %8s%n", "preset", "tokens", "tokens/s (cache)", "tokens/s (recompute)", "threads");
            for (Row r : rows)
                out.printf("%-18s %8d %18.1f %22.1f %8d%n", r.preset(), r.tokens(), r.cachedTokensPerS(), r.recomputeTokensPerS(), r.threads());
            out.println("(median of " + repeats + " generations per path, alternating, after 3 warm-up generations each)");
        }
        return 0;
    }
}
