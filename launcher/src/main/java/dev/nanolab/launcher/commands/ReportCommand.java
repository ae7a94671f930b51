package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.Session;
import dev.nanolab.reporting.RunReport;
import dev.nanolab.training.checkpoint.CheckpointModel;
import dev.nanolab.training.config.SampleConfig;
import dev.nanolab.training.sample.Sampler;
import dev.nanolab.training.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nanolab report RUN_DIR}: an HTML page with PNG plots of a run. */
@Command(name = "report", header = "Write an HTML report of a run folder: curves, probes, config, metrics and samples.", description = {
        "Write an HTML report of a run folder (default RUN_DIR/report/index.html, PNG plots beside it): loss, lr and gradient",
        "norm; from probes, kurtosis and max |x| per layer over time, attention mass, update:data ratios, final histograms;",
        "the config and final metrics; samples from RUN_DIR/best.safetensors when it exists."})
public final class ReportCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder (out_dir of a training run).")
    Path runDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where index.html and the PNGs go (default: RUN_DIR/report).")
    Path out;

    @Option(names = "--samples", defaultValue = "2", description = "Samples to generate from best.safetensors; 0 for none (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--max-new-tokens", defaultValue = "300", description = "Tokens per sample (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override the checkpoint's config for sampling, e.g. --set backend.threads=2.")
    List<String> sets = new ArrayList<>();

    ReportCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(runDir)) throw new NanolabException("run folder " + runDir + " does not exist");
        if (!Files.exists(runDir.resolve("metrics.jsonl"))) throw new NanolabException(runDir + " is not a run folder: it has no metrics.jsonl");
        List<String> texts = new ArrayList<>();
        String note;
        Path best = runDir.resolve(Trainer.BEST);
        if (samples <= 0) {
            note = "No samples were asked for.";
        } else if (!Files.exists(best)) {
            note = "No samples: the run folder has no " + Trainer.BEST + ".";
        } else {
            try (CheckpointModel m = RunConfigs.openCheckpoint(session.plugins().registry(), best, sets)) {
                SampleConfig d = m.config().sample();
                Sampler sampler = new Sampler(m.model(), new Sampler.Options(d.temperature(), d.topK(), d.topP(), maxNewTokens, -1), d.seed());
                int[] prompt = m.tokenizer().encode(d.start());
                for (int i = 0; i < samples; i++) texts.add(d.start() + m.tokenizer().decode(sampler.generate(prompt, null)));
                note = String.format(java.util.Locale.ROOT, "%d sample(s) of %d tokens from %s (iteration %d), prompt %s, temperature %s, top-k %d, seed %d.",
                        samples, maxNewTokens, best, m.checkpoint().state().step(), quote(d.start()), d.temperature(), d.topK(), d.seed());
            }
        }
        Path index = RunReport.write(runDir, out != null ? out : runDir.resolve("report"), texts, note);
        System.out.println("wrote " + index);
        return 0;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
