package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * compare, run and report end to end: variants over seeds in child processes, the paired confidence interval
 * against a hand computation from the runs' own metrics, probe records, a failed run among good ones, the shipped
 * experiment by name, and valid HTML reports whose PNGs exist.
 */
class CompareIT {
    @TempDir
    Path dir;

    static final ObjectMapper JSON = new ObjectMapper();

    static List<JsonNode> records(Path run, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl")))
            if (!line.isBlank() && JSON.readTree(line).path("type").asText().equals(type)) out.add(JSON.readTree(line));
        return out;
    }

    /** Rows of a simple CSV (no quoted commas in the columns read here) as header → value maps. */
    static List<Map<String, String>> csv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.getFirst().split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length && i < cells.length; i++) row.put(header[i], cells[i]);
            rows.add(row);
        }
        return rows;
    }

    /** Parses the page as XML and checks that every image it shows is a non-empty PNG file beside it. */
    static Document checkHtml(Path html) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(html)));
        NodeList imgs = doc.getElementsByTagNameNS("*", "img");
        assertThat(imgs.getLength()).as("images in " + html).isPositive();
        for (int i = 0; i < imgs.getLength(); i++) {
            Path png = html.getParent().resolve(imgs.item(i).getAttributes().getNamedItem("src").getNodeValue());
            assertThat(png).exists();
            byte[] b = Files.readAllBytes(png);
            assertThat(b.length).as(png.toString()).isGreaterThan(1000);
            assertThat(new String(b, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        return doc;
    }

    @Test
    void twoVariantsTwoSeedsGiveTheTableTheFilesAndTheHandComputedInterval() throws Exception {
        Path cfg = Nanolab.tinyConfig(dir, 20, 10);
        Path cmp = dir.resolve("cmp");
        Nanolab.Result r = Nanolab.run(dir, "compare", "--config", cfg.toString(), "--vary", "model.attention=softmax,softmax1",
                "--seeds", "2", "--out", cmp.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("2 variant(s) x 2 seed(s) = 4 runs").containsPattern("softmax1 +2/2");
        for (String f : List.of("compare.csv", "compare-runs.csv", "compare.html")) assertThat(cmp.resolve(f)).isNotEmptyFile();

        // The per-seed final val losses, from each run's own metrics.jsonl (seeds 1337 and 1338: the config's seed and the next).
        double[][] loss = new double[2][2];
        String[] variants = {"softmax", "softmax1"};
        for (int v = 0; v < 2; v++)
            for (int s = 0; s < 2; s++) {
                Path run = cmp.resolve(variants[v]).resolve("seed-" + (1337 + s));
                List<JsonNode> evals = records(run, "eval");
                assertThat(evals.getLast().get("iter").asLong()).isEqualTo(20);
                loss[v][s] = evals.getLast().get("val_loss").asDouble();
                assertThat(Files.readString(run.resolve("config.yaml"))).contains("seed: " + (1337 + s));
            }
        assertThat(loss[0][0]).as("the seeds differ").isNotEqualTo(loss[0][1]);
        for (var row : csv(cmp.resolve("compare-runs.csv"))) {
            int v = row.get("variant").equals("softmax") ? 0 : 1, s = Integer.parseInt(row.get("seed")) - 1337;
            assertThat(row.get("status")).isEqualTo("ok");
            assertThat(Double.parseDouble(row.get("final_val_loss"))).isEqualTo(loss[v][s]);
        }
        // Hand computation: d_s = L(softmax1, s) − L(softmax, s); CI = exp(d̄ ± t(0.975, 1)·sd/√2) − 1.
        double d0 = loss[1][0] - loss[0][0], d1 = loss[1][1] - loss[0][1], dbar = (d0 + d1) / 2;
        double sd = Math.sqrt(((d0 - dbar) * (d0 - dbar) + (d1 - dbar) * (d1 - dbar)) / 1);
        double half = 12.706204736174707 * sd / Math.sqrt(2);
        Map<String, String> softmax1 = csv(cmp.resolve("compare.csv")).get(1);
        assertThat(softmax1.get("variant")).isEqualTo("softmax1");
        assertThat(Double.parseDouble(softmax1.get("rel_ppl_change"))).isCloseTo(Math.exp(dbar) - 1, within(1e-12));
        assertThat(Double.parseDouble(softmax1.get("rel_ppl_change_ci95_low"))).isCloseTo(Math.exp(dbar - half) - 1, within(1e-9));
        assertThat(Double.parseDouble(softmax1.get("rel_ppl_change_ci95_high"))).isCloseTo(Math.exp(dbar + half) - 1, within(1e-9));
        assertThat(Double.parseDouble(softmax1.get("final_val_loss_mean"))).isCloseTo((loss[1][0] + loss[1][1]) / 2, within(1e-12));
        assertThat(softmax1.get("meets_threshold")).isEqualTo(Boolean.toString(Math.exp(dbar) - 1 <= -0.05));
        // Per-layer kurtosis and max |x|, side by side.
        assertThat(softmax1).containsKeys("act_kurtosis_pearson/transformer.h.0", "act_kurtosis_pearson/transformer.h.1.attn",
                "act_max_abs/transformer.h.1.mlp", "act_max_abs_channel/transformer.h.0");
        Document html = checkHtml(cmp.resolve("compare.html"));
        assertThat(html.getDocumentElement().getTextContent()).contains("Per layer: kurtosis and max |x|").contains("softmax1: kurtosis (Pearson)");

        // The probes ran at each evaluation, on the val batches, and agree with the training log.
        Path run = cmp.resolve("softmax1/seed-1337");
        List<JsonNode> probes = records(run, "probe");
        assertThat(probes.stream().map(n -> n.get("iter").asLong()).distinct().toList()).containsExactly(0L, 10L, 20L);
        JsonNode grad10 = probes.stream().filter(n -> n.get("iter").asLong() == 10 && n.get("probe").asText().equals("grad-norm")).findFirst().orElseThrow();
        double logged = records(run, "train").get(9).get("grad_norm").asDouble();
        assertThat(grad10.get("grad_norm_total").asDouble()).isCloseTo(logged, within(1e-4 * logged));
        JsonNode mass = probes.stream().filter(n -> n.get("iter").asLong() == 20 && n.get("probe").asText().equals("attention-mass")).findFirst().orElseThrow();
        assertThat(mass.get("attn_mass_mean/transformer.h.0.attn.attention").asDouble()).isLessThan(0.999);
        JsonNode massSoftmax = records(cmp.resolve("softmax/seed-1337"), "probe").stream()
                .filter(n -> n.get("probe").asText().equals("attention-mass")).findFirst().orElseThrow();
        assertThat(massSoftmax.get("attn_mass_mean/transformer.h.0.attn.attention").asDouble()).isCloseTo(1.0, within(1e-5));

        // A report of one run: valid HTML, its plots, samples from best.safetensors.
        Nanolab.Result rep = Nanolab.run(dir, "report", run.toString(), "--samples", "1", "--max-new-tokens", "40");
        assertThat(rep.code()).as(rep.err()).isZero();
        Path index = run.resolve("report/index.html");
        Document doc = checkHtml(index);
        List<String> srcs = new ArrayList<>();
        NodeList imgs = doc.getElementsByTagNameNS("*", "img");
        for (int i = 0; i < imgs.getLength(); i++) srcs.add(imgs.item(i).getAttributes().getNamedItem("src").getNodeValue());
        assertThat(srcs).contains("loss.png", "lr.png", "grad_norm.png", "act_kurtosis_pearson.png", "act_max_abs.png", "attn_mass_hist.png", "attn_mass_hist_heads_0.png", "attn_mass_hist_heads_1.png",
                "update_ratio_log10.png", "hist_weight.png", "hist_act.png", "hist_grad.png");
        assertThat(doc.getDocumentElement().getTextContent()).contains("1 sample(s) of 40 tokens from").contains("model.attention");
    }

    @Test
    void aFailedRunIsReportedAsFailedAndTheOthersFinish() throws Exception {
        // The example plugin's attention, from --plugin-path: the children must get the same plugin path.
        Path plugins = Files.createDirectories(dir.resolve("my-plugins"));
        try (var jars = Files.list(Nanolab.EXAMPLES)) {
            for (Path jar : jars.toList()) Files.copy(jar, plugins.resolve(jar.getFileName()));
        }
        Path cfg = Nanolab.tinyConfig(dir, 6, 3);
        Path cmp = dir.resolve("cmp");
        Nanolab.Result r = Nanolab.run(dir, "--plugin-path", plugins.toString(), "compare", "--config", cfg.toString(),
                "--set", "model.attention=quiet-example", "--vary", "optimizer.lr=3e-3,1e30", "--seeds", "1", "--out", cmp.toString(),
                "--probes", "kurtosis,max-abs");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err()).contains("1 of 2 runs failed");
        assertThat(r.out()).contains("1e30, seed 1337: FAILED");
        List<Map<String, String>> runs = csv(cmp.resolve("compare-runs.csv"));
        assertThat(runs).extracting(m -> m.get("variant") + ":" + m.get("status")).containsExactly("3e-3:ok", "1e30:failed");
        assertThat(runs.get(1).get("error")).contains("exit 1");
        assertThat(records(cmp.resolve("3e-3/seed-1337"), "eval").getLast().get("iter").asLong()).isEqualTo(6);
        assertThat(records(cmp.resolve("3e-3/seed-1337"), "probe")).extracting(n -> n.get("probe").asText()).containsOnly("kurtosis", "max-abs");
        assertThat(Files.readString(cmp.resolve("3e-3/seed-1337/config.yaml"))).contains("quiet-example");
        Document html = checkHtml(cmp.resolve("compare.html"));
        assertThat(html.getDocumentElement().getTextContent()).contains("FAILED");
    }

    @Test
    void theShippedExperimentRunsByName() throws Exception {
        Path cfg = Nanolab.tinyConfig(dir, 4, 2); // only for its corpus
        Path out = dir.resolve("exp");
        Nanolab.Result r = Nanolab.run(dir, "run", "softmax-vs-softmax1", "--out", out.toString(),
                "--set", "dataset=text:" + dir.resolve("corpus.txt"), "--set", "data.dir=" + dir.resolve("data"),
                "--set", "model.n_layer=1", "--set", "model.n_head=2", "--set", "model.n_embd=16", "--set", "model.block_size=16",
                "--set", "train.max_iters=4", "--set", "train.eval_interval=2", "--set", "train.eval_iters=2", "--set", "train.batch_size=4",
                "--set", "train.peak_flops=1e9", "--set", "train.progress_bar=false", "--set", "schedule.warmup_iters=1",
                "--set", "schedule.lr_decay_iters=4", "--set", "sample.num_samples=1");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("experiment softmax-vs-softmax1").contains("2 variant(s) x 2 seed(s)")
                .containsPattern("softmax1 vs softmax: perplexity [-+]\\d+\\.\\d%").contains("residual-stream kurtosis");
        assertThat(cfg).exists();
        Document html = checkHtml(out.resolve("compare.html"));
        assertThat(html.getDocumentElement().getTextContent()).contains("Conclusions").contains("softmax1 vs softmax: perplexity");
        assertThat(Files.readString(out.resolve("softmax1/seed-1338/config.yaml"))).contains("softmax1").contains("max_iters: 4");

        Nanolab.Result unknown = Nanolab.run(dir, "run", "softmax-vs-sofmax1");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown experiment 'softmax-vs-sofmax1'").contains("softmax-vs-softmax1");
    }

    @Test
    void theMixtureOfTokenizersExperimentRunsEveryVariant() throws Exception {
        Nanolab.tinyConfig(dir, 4, 2); // only for its corpus
        Path out = dir.resolve("mot");
        Nanolab.Result r = Nanolab.run(dir, "run", "mixture-of-tokenizers", "--out", out.toString(), "--seeds", "2",
                "--set", "dataset=text:" + dir.resolve("corpus.txt"), "--set", "data.dir=" + dir.resolve("data"),
                "--set", "tokenizer.vocab_size=300", "--set", "model.document_boundary=-1",
                "--set", "model.n_layer=2", "--set", "model.n_head=2", "--set", "model.n_embd=32", "--set", "model.block_size=16",
                "--set", "model.value_embeds=1", "--set", "model.window_start=8", "--set", "model.window_block=8",
                "--set", "train.max_iters=3", "--set", "schedule.total_iters=3", "--set", "model.window_warmup_iters=3",
                "--set", "train.eval_interval=3", "--set", "train.eval_iters=2", "--set", "train.log_interval=1",
                "--set", "train.batch_size=2", "--set", "train.peak_flops=1e9", "--set", "backend.threads=1");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("8 variant(s) x 2 seed(s)")
                .containsPattern("cross-attention only +\\d+\\.\\d +\\d+\\.\\d\\d +\\d\\.\\d{4} ± \\d\\.\\d{4}")
                .contains("+ self-attention w64").contains("cross, 4x4 pooling").contains("cross + residual").contains("byte width = model width")
                .contains("window vs step time: over cross-attention only, the byte self-attention adds").contains("w64/w4 added-time ratio");
        assertThat(r.out()).doesNotContain("failed").doesNotContain("no complete pair");
        // Every variant's runs trained with its embedding.
        try (var runs = Files.walk(out)) {
            List<Path> configs = runs.filter(p -> p.getFileName().toString().equals("config.yaml")).toList();
            assertThat(configs).hasSize(16);
            assertThat(configs.stream().filter(p -> read(p).contains("name: \"mot\"")).count()).isEqualTo(14);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
