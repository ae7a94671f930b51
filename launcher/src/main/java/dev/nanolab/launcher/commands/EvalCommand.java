package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.Session;
import dev.nanolab.training.checkpoint.CheckpointModel;
import dev.nanolab.training.data.PreparedData;
import dev.nanolab.training.sample.Evaluation;
import dev.nanolab.training.train.TrainingRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nanolab eval}: loss, perplexity and bits per character of a checkpoint on a split or a text file. */
@Command(name = "eval", description = "Loss, perplexity (exp(loss)) and bits per character of a checkpoint on a split or any text file.")
public final class EvalCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH", description = "A .safetensors checkpoint written by train, or a Hugging Face GPT-2 folder (config.json, model.safetensors, tokenizer.json).")
    Path checkpoint;

    @Option(names = "--split", defaultValue = "val", description = "train or val of the checkpoint's dataset (default: val).")
    String split;

    @Option(names = "--file", paramLabel = "PATH", description = "Evaluate on this text file instead of a split.")
    Path file;

    @Option(names = "--max-tokens", defaultValue = "0", description = "Score at most this many tokens (0 = all).")
    long maxTokens;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override the checkpoint's config, e.g. --set backend=cpu.")
    List<String> sets = new ArrayList<>();

    EvalCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 0) throw new IllegalArgumentException("--max-tokens must be 0 (all tokens) or more, got " + maxTokens);
        if (!split.equals("train") && !split.equals("val")) throw new IllegalArgumentException("--split must be train or val, got '" + split + "'");
        if (file != null) OptionChecks.readableFile(file, "--file");
        var registry = session.plugins().registry();
        try (CheckpointModel m = RunConfigs.openCheckpoint(registry, checkpoint, sets)) {
            Evaluation.Result r;
            String what;
            if (file != null) {
                if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--file " + file + " does not exist");
                int[] ids = m.tokenizer().encode(OptionChecks.utf8(file, "--file"));
                if (maxTokens > 0 && ids.length > maxTokens) ids = java.util.Arrays.copyOf(ids, (int) maxTokens);
                r = Evaluation.of(m.model(), m.tokenizer(), ids);
                what = file.toString();
            } else {
                try (PreparedData d = TrainingRun.prepare(m.config(), registry, System.out)) {
                    if (!d.tokenizer().fingerprint().equals(m.tokenizer().fingerprint()))
                        throw new IllegalArgumentException("the prepared data in " + d.dir() + " was tokenised differently from " + checkpoint);
                    r = Evaluation.of(m.model(), m.tokenizer(), d.split(split), maxTokens);
                    what = split + " split of " + d.dir();
                }
            }
            System.out.printf("%s: loss %.4f, perplexity %.3f, %.4f bits per character (%,d tokens, %,d characters)%n",
                    what, r.loss(), r.perplexity(), r.bitsPerChar(), r.tokens(), r.characters());
        }
        return 0;
    }
}
