package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.Session;
import dev.nanolab.training.checkpoint.CheckpointModel;
import dev.nanolab.training.config.SampleConfig;
import dev.nanolab.training.sample.Sampler;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nanolab sample}: generate text from a checkpoint. */
@Command(name = "sample", description = "Generate text from a checkpoint.")
public final class SampleCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH", description = "A .safetensors checkpoint written by train, or a Hugging Face GPT-2 folder (config.json, model.safetensors, tokenizer.json).")
    Path checkpoint;

    @Option(names = "--prompt", description = "Text to continue (default: the config's sample.start).")
    String prompt;

    @Option(names = "--num-samples", description = "How many samples.")
    Integer numSamples;

    @Option(names = "--max-new-tokens", description = "Tokens per sample.")
    Integer maxNewTokens;

    @Option(names = "--temperature", description = "Divides the logits (0.8 is nanoGPT's default).")
    Double temperature;

    @Option(names = "--top-k", description = "Keep the k most likely tokens (0 = all).")
    Integer topK;

    @Option(names = "--top-p", description = "Nucleus sampling: keep the tokens making up this much probability (1 = all).")
    Double topP;

    @Option(names = "--seed", description = "Sampler seed.")
    Long seed;

    @Option(names = "--stop", description = "Stop a sample at this token's text, e.g. <|endoftext|>.")
    String stop;

    @Option(names = "--no-cache", description = "Recompute the whole context for every token (the reference for the KV cache).")
    boolean noCache;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override the checkpoint's config, e.g. --set backend=cpu.")
    List<String> sets = new ArrayList<>();

    SampleCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        OptionChecks.sampling(numSamples, maxNewTokens, temperature, topK, topP);
        try (CheckpointModel m = RunConfigs.openCheckpoint(session.plugins().registry(), checkpoint, sets)) {
            printSamples(m, prompt, numSamples, maxNewTokens, temperature, topK, topP, seed, stop, noCache, System.out);
        }
        return 0;
    }

    /** Prints samples, streaming each token; shared with {@code demo}. */
    static void printSamples(CheckpointModel m, String prompt, Integer n, Integer max, Double temperature, Integer topK,
                             Double topP, Long seed, String stop, boolean noCache, PrintStream out) {
        SampleConfig d = m.config().sample();
        String start = prompt != null ? prompt : d.start();
        String stopText = stop != null ? stop : d.stop();
        int stopId = -1;
        if (!stopText.isEmpty()) {
            var special = m.tokenizer().specialToken(stopText);
            int[] ids = special.isPresent() ? new int[] {special.getAsInt()} : m.tokenizer().encode(stopText);
            if (ids.length != 1) throw new IllegalArgumentException("--stop '" + stopText + "' is " + ids.length + " tokens; it must be one token");
            stopId = ids[0];
        }
        var options = new Sampler.Options(temperature != null ? temperature : d.temperature(), topK != null ? topK : d.topK(),
                topP != null ? topP : d.topP(), max != null ? max : d.maxNewTokens(), stopId);
        Sampler sampler = new Sampler(m.model(), options, seed != null ? seed : d.seed());
        if (noCache) sampler.withoutCache();
        int[] promptIds = m.tokenizer().encode(start);
        int samples = n != null ? n : d.numSamples();
        for (int i = 0; i < samples; i++) {
            out.print(start);
            List<Integer> pending = new ArrayList<>();
            sampler.generate(promptIds, id -> {
                // Decode as tokens arrive, holding back only what does not decode to whole characters yet.
                pending.add(id);
                String text = m.tokenizer().decode(pending.stream().mapToInt(Integer::intValue).toArray());
                if (!text.endsWith("\uFFFD")) {
                    out.print(text);
                    out.flush();
                    pending.clear();
                }
            });
            if (!pending.isEmpty()) out.print(m.tokenizer().decode(pending.stream().mapToInt(Integer::intValue).toArray()));
            out.println();
            out.println("---------------");
        }
    }
}
