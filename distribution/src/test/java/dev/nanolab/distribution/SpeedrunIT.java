package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nanolab speedrun} end to end at a tiny size: the race stops each run at the target, and the reported
 * modern/baseline ratio is the geometric mean of the per-seed ratios read back from the runs' own target lines; the
 * ablation trains one run per removed piece for the step budget.
 */
class SpeedrunIT {
    @TempDir
    Path dir;

    /** A tiny modern-gpt recipe on the same corpus as {@link Nanolab#tinyConfig}, with every piece on. */
    static Path tinyModern(Path dir, Path baseline) throws Exception {
        String base = Files.readString(baseline);
        String dataset = base.lines().filter(l -> l.startsWith("dataset:")).findFirst().orElseThrow();
        String data = base.lines().filter(l -> l.startsWith("data:")).findFirst().orElseThrow();
        Path cfg = dir.resolve("modern.yaml");
        Files.writeString(cfg, """
                %s
                tokenizer: char
                %s
                model: {name: modern-gpt, n_layer: 2, n_head: 2, n_embd: 32, block_size: 32, value_embeds: 1, window_pattern: LS,
                        window_start: 8, window_warmup_iters: 40, window_block: 8, document_boundary: 0}
                optimizer: {name: adam, lr: 0.004, beta1: 0.8, beta2: 0.95, eps: 1.0e-10}
                param_groups:
                  rules:
                    - {name: hidden, match: "blocks.*", min_rank: 2, optimizer: muon}
                    - {name: embeddings, match: "{embed,value_embeds}.*", lr_mult: 75, weight_decay: 0}
                    - {name: rest, match: "*", lr_mult: 5, weight_decay: 0}
                  optimizers: [{name: muon, lr: 0.05, momentum_start: 0.85, momentum_warmup_steps: 10}]
                schedule: {name: warmup-stable-decay, warmup_iters: 0, total_iters: 40, decay_fraction: 0.4, min_lr: 4.0e-4}
                train: {batch_size: 8, max_iters: 40, eval_interval: 5, eval_iters: 4, log_interval: 5, peak_flops: 1.0e9, progress_bar: false,
                        target_val_loss: 2.6}
                backend: {name: cpu, threads: 1}
                """.formatted(dataset, data));
        return cfg;
    }

    @Test
    void theRaceStopsAtTheTargetAndReportsThePairedRatio() throws Exception {
        Path baseline = Nanolab.tinyConfig(dir, 60, 5);
        Files.writeString(baseline, Files.readString(baseline).replace("progress_bar: false}", "progress_bar: false, target_val_loss: 2.6}"));
        Path modern = tinyModern(dir, baseline);
        Path out = dir.resolve("race");
        Nanolab.Result r = Nanolab.run(dir, "speedrun", "--baseline", baseline.toString(), "--modern", modern.toString(),
                "--seeds", "2", "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("speedrun to val loss 2.6000").contains("modern/baseline time to target");
        List<Map<String, String>> rows = CompareIT.csv(out.resolve("speedrun.csv"));
        assertThat(rows).hasSize(4).allSatisfy(row -> assertThat(row.get("reached")).isEqualTo("true"));
        double logSum = 0;
        for (long seed : new long[] {1337, 1338}) {
            JsonNode b = CompareIT.records(out.resolve("baseline/seed-" + seed), "target").getFirst();
            JsonNode m = CompareIT.records(out.resolve("modern/seed-" + seed), "target").getFirst();
            assertThat(b.get("val_loss").asDouble()).isLessThanOrEqualTo(2.6);
            // Stopped at the target: no training step after the evaluation that reached it.
            assertThat(CompareIT.records(out.resolve("modern/seed-" + seed), "eval").getLast().get("iter").asLong()).isEqualTo(m.get("iter").asLong());
            logSum += Math.log(m.get("train_time_s").asDouble() / b.get("train_time_s").asDouble());
        }
        String expected = String.format(Locale.ROOT, "modern/baseline time to target: %.3f", Math.exp(logSum / 2));
        assertThat(r.out()).contains(expected);
        assertThat(out.resolve("compare.html")).isNotEmptyFile();
    }

    @Test
    void theAblationRemovesOnePieceAtATimeForTheStepBudget() throws Exception {
        Path baseline = Nanolab.tinyConfig(dir, 60, 5);
        Path modern = tinyModern(dir, baseline);
        Path out = dir.resolve("ablation");
        Nanolab.Result r = Nanolab.run(dir, "speedrun", "--ablation", "--modern", modern.toString(), "--pieces", "rope,windows,muon",
                "--steps", "6", "--seeds", "1", "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("4 variant(s) x 1 seed(s) = 4 runs").contains("ablation of").contains("rope").contains("windows").contains("muon");
        for (String v : List.of("modern", "no-rope", "no-windows", "no-muon")) {
            List<JsonNode> evals = CompareIT.records(out.resolve(v + "/seed-1337"), "eval");
            assertThat(evals.getLast().get("iter").asLong()).as(v).isEqualTo(6);
            assertThat(CompareIT.records(out.resolve(v + "/seed-1337"), "target")).as(v + " has no target").isEmpty();
        }
        String noRope = Files.readString(out.resolve("no-rope/seed-1337/compare-config.yaml"));
        assertThat(noRope).contains("rope: \"none\"");
        assertThat(Files.readString(out.resolve("no-muon/seed-1337/compare-config.yaml"))).doesNotContain("optimizer: \"muon\"");
        assertThat(Files.readString(out.resolve("modern/seed-1337/compare-config.yaml"))).contains("optimizer: \"muon\"").contains("window_warmup_iters: 6");
    }
}
