package dev.nanolab.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the assembled distribution's bin/nanolab as a user would. */
final class Nanolab {
    static final Path DIST = Path.of(System.getProperty("nanolab.dist", "target/nanolab"));
    static final Path EXAMPLES = Path.of(System.getProperty("nanolab.examples", "target/example-plugins"));

    record Result(int code, String out, String err) {}

    private Nanolab() {}

    static ProcessBuilder builder(Path workDir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(DIST.resolve("bin/nanolab").toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(workDir.toFile());
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("nanolab-out", ".txt"), err = Files.createTempFile("nanolab-err", ".txt");
        Process p = builder(workDir, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("nanolab " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A small corpus of Java-like text and a tiny GPT config over it, for fast end-to-end runs. */
    static Path tinyConfig(Path dir, long maxIters, long evalInterval) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3000; i++) sb.append("public int get").append(i % 7).append("() { return value").append(i % 5).append("; }\n");
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, sb);
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(cfg, """
                out_dir: %s
                dataset: text:%s
                tokenizer: char
                data: {dir: %s}
                model: {name: gpt, n_layer: 2, n_head: 2, n_embd: 32, block_size: 32, dropout: 0.1, bias: true}
                optimizer: {name: adamw, lr: 3.0e-3, beta2: 0.99}
                schedule: {name: warmup-cosine, warmup_iters: 5, lr_decay_iters: %d, min_lr: 3.0e-4}
                train: {batch_size: 8, max_iters: %d, eval_interval: %d, eval_iters: 4, log_interval: 1, peak_flops: 1.0e9, progress_bar: false}
                backend: {name: cpu, threads: 2}
                """.formatted(dir.resolve("run"), text, dir.resolve("data"), Math.max(6, maxIters), maxIters, evalInterval));
        return cfg;
    }
}
