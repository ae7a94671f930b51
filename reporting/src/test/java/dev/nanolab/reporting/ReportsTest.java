package dev.nanolab.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.experiment.ExperimentResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Reports render: well-formed HTML whose images exist as non-empty PNGs; compare files hold the right numbers. */
class ReportsTest {
    @TempDir
    Path dir;

    /** A run folder with train, eval and probe records (scalars, per-head values, histograms) and a config. */
    static Path fakeRun(Path dir, long seed, double finalLoss, boolean probes) throws Exception {
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++)
            sb.append(String.format(Locale.ROOT, "{\"type\":\"train\",\"iter\":%d,\"loss\":%f,\"lr\":%f,\"grad_norm\":%f,\"ms\":12.5,\"tokens_per_s\":1000,\"mfu\":0.1}%n",
                    i, 3 - i * 0.03, 1e-3 * (1 - i / 40.0), 1.0 + 0.1 * Math.sin(i + seed)));
        for (int e = 0; e <= 4; e++) {
            long iter = e * 10L;
            double val = e == 4 ? finalLoss : 3.2 - e * 0.3;
            if (probes) {
                sb.append(String.format(Locale.ROOT, "{\"type\":\"probe\",\"iter\":%d,\"time\":1796541439.935,\"probe\":\"kurtosis\",\"act_kurtosis_pearson/transformer.h.0\":%f,"
                        + "\"act_kurtosis_pearson/transformer.h.1\":%f,\"weight_kurtosis_pearson/transformer.wte.weight\":3.01}%n", iter, 3.0 + e + seed, 4.0 + e));
                sb.append(String.format(Locale.ROOT, "{\"type\":\"probe\",\"iter\":%d,\"probe\":\"max-abs\",\"act_max_abs/transformer.h.0\":%f,"
                        + "\"act_max_abs_channel/transformer.h.0\":7,\"act_max_abs/transformer.h.1\":%f,\"act_max_abs_channel/transformer.h.1\":%d}%n", iter, 5.0 + e, 9.0 + seed, 3 + seed));
                sb.append(String.format(Locale.ROOT, "{\"type\":\"probe\",\"iter\":%d,\"probe\":\"attention-mass\",\"attn_mass_mean/transformer.h.0.attn.attention\":0.9,"
                        + "\"attn_mass_mean/transformer.h.0.attn.attention[0]\":0.8,\"attn_first_token_fraction/transformer.h.0.attn.attention\":0.4,"
                        + "\"attn_mass_hist/transformer.h.0.attn.attention\":{\"edges\":[0,0.25,0.5,0.75,1],\"counts\":[0,1,5,20]},"
                        + "\"attn_mass_hist/transformer.h.0.attn.attention[0]\":{\"edges\":[0,0.25,0.5,0.75,1],\"counts\":[0,1,2,10]},"
                        + "\"attn_mass_hist/transformer.h.0.attn.attention[1]\":{\"edges\":[0,0.25,0.5,0.75,1],\"counts\":[0,0,3,10]},\"attn_layers_unmeasured\":0}%n", iter));
                if (e > 0)
                    sb.append(String.format(Locale.ROOT, "{\"type\":\"probe\",\"iter\":%d,\"probe\":\"update-ratio\",\"update_ratio_log10/transformer.wte.weight\":%f,"
                            + "\"update_ratio_log10/transformer.ln_f.weight\":null}%n", iter, -3 + 0.1 * e));
                sb.append(String.format(Locale.ROOT, "{\"type\":\"probe\",\"iter\":%d,\"probe\":\"histograms\","
                        + "\"hist_weight/transformer.wte.weight\":{\"edges\":[-1,0,1],\"counts\":[10,12]},"
                        + "\"hist_act/transformer.h.0\":{\"edges\":[-2,-1,0,1,2],\"counts\":[1,10,12,2]}}%n", iter));
            }
            sb.append(String.format(Locale.ROOT, "{\"type\":\"eval\",\"iter\":%d,\"train_loss\":%f,\"val_loss\":%.10f,\"lr\":0.001}%n", iter, val - 0.05, val));
        }
        sb.append("{\"type\":\"train\",\"iter\":40,\"lo"); // a line cut off by a kill
        Files.writeString(dir.resolve("metrics.jsonl"), sb.toString());
        Files.writeString(dir.resolve("config.yaml"), "seed: " + seed + "\nmodel:\n  name: gpt\n  n_layer: 2\n  attention: softmax1\nprobes:\n- name: kurtosis\n- name: max-abs\n");
        return dir;
    }

    /** Parses the page as XML (it is XHTML) and checks every image is a non-empty PNG beside it; returns the DOM. */
    static Document checkPage(Path html) throws Exception {
        byte[] bytes = Files.readAllBytes(html);
        var f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("html");
        NodeList imgs = doc.getElementsByTagNameNS("*", "img");
        for (int i = 0; i < imgs.getLength(); i++) {
            String src = imgs.item(i).getAttributes().getNamedItem("src").getNodeValue();
            Path png = html.getParent().resolve(src);
            assertThat(png).as(src).exists();
            byte[] head = Files.readAllBytes(png);
            assertThat(head.length).as(src).isGreaterThan(1000);
            assertThat(java.util.Arrays.copyOf(head, 8)).as(src + " is a PNG").containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        }
        return doc;
    }

    static List<String> imgs(Document doc) {
        List<String> out = new ArrayList<>();
        NodeList imgs = doc.getElementsByTagNameNS("*", "img");
        for (int i = 0; i < imgs.getLength(); i++) out.add(imgs.item(i).getAttributes().getNamedItem("src").getNodeValue());
        return out;
    }

    @Test
    void aRunReportIsWellFormedAndItsPlotsExist() throws Exception {
        Path run = fakeRun(dir.resolve("run"), 1, 2.0, true);
        Path html = RunReport.write(run, run.resolve("report"), List.of("public <T> & \"x\" \u0001 done"), "2 samples from best.safetensors");
        Document doc = checkPage(html);
        assertThat(imgs(doc)).contains("loss.png", "lr.png", "grad_norm.png", "act_kurtosis_pearson.png", "weight_kurtosis_pearson.png",
                "act_max_abs.png", "attn_mass_mean.png", "attn_mass_hist.png", "attn_mass_hist_heads_0.png", "attn_first_token_fraction.png", "update_ratio_log10.png",
                "hist_weight.png", "hist_act.png");
        String text = doc.getDocumentElement().getTextContent();
        assertThat(text).contains("public <T> & \"x\"  done").contains("model.attention").contains("softmax1").contains("[kurtosis, max-abs]");
        assertThat(text).contains("val perplexity exp(loss)").contains(Html.num(Math.exp(2.0)));
    }

    @Test
    void aRunWithoutProbesStillRenders() throws Exception {
        Path run = fakeRun(dir.resolve("plain"), 1, 2.0, false);
        Document doc = checkPage(RunReport.write(run, dir.resolve("out"), List.of(), "No samples: no best.safetensors."));
        assertThat(imgs(doc)).containsExactly("loss.png", "lr.png", "grad_norm.png");
        assertThat(doc.getDocumentElement().getTextContent()).contains("This run recorded no probes");
    }

    @Test
    void aComparisonHasTheHandComputedIntervalAndItsFiles() throws Exception {
        double[] a = {2.10, 2.20, 2.05}, b = {1.95, 2.08, 1.96};
        List<Comparison.RunOutcome> ra = new ArrayList<>(), rb = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            ra.add(new Comparison.RunOutcome(7 + s, fakeRun(dir.resolve("softmax/seed-" + (7 + s)), s, a[s], true), true, ""));
            rb.add(new Comparison.RunOutcome(7 + s, fakeRun(dir.resolve("softmax1/seed-" + (7 + s)), s, b[s], true), true, ""));
        }
        rb.add(new Comparison.RunOutcome(10, dir.resolve("softmax1/seed-10"), false, "exit 1: loss became NaN"));
        ExperimentResult r = Comparison.summarize(dir, 0.05, List.of(
                new Comparison.VariantRuns("softmax", java.util.Map.of("model.attention", "softmax"), ra),
                new Comparison.VariantRuns("softmax1", java.util.Map.of("model.attention", "softmax1"), rb)));

        var base = r.variant("softmax");
        assertThat(base.finalLoss().mean()).isCloseTo((2.10 + 2.20 + 2.05) / 3, within(1e-9));
        assertThat(base.change()).isEmpty();
        var v = r.variant("softmax1");
        assertThat(v.failed()).isEqualTo(1);
        assertThat(v.finalLoss().n()).isEqualTo(3);
        double[] d = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
        double dbar = (d[0] + d[1] + d[2]) / 3;
        double sd = Math.sqrt((Math.pow(d[0] - dbar, 2) + Math.pow(d[1] - dbar, 2) + Math.pow(d[2] - dbar, 2)) / 2);
        double half = 4.302652729911275 * sd / Math.sqrt(3);
        var c = v.change().orElseThrow();
        assertThat(c.pairs()).isEqualTo(3);
        assertThat(c.estimate()).isCloseTo(Math.exp(dbar) - 1, within(1e-9));
        assertThat(c.low()).isCloseTo(Math.exp(dbar - half) - 1, within(1e-8));
        assertThat(c.high()).isCloseTo(Math.exp(dbar + half) - 1, within(1e-8));
        assertThat(v.perplexity().mean()).isCloseTo((Math.exp(b[0]) + Math.exp(b[1]) + Math.exp(b[2])) / 3, within(1e-9));
        // Probe values: the last evaluation's, averaged over seeds (kurtosis of h.0 is 3 + 4 + seed).
        assertThat(v.probes().get("act_kurtosis_pearson/transformer.h.0")).isCloseTo(8.0, within(1e-9));
        // A channel is a label: kept where the seeds agree (h.0: 7), never averaged (h.1: 3, 4, 5 across seeds).
        assertThat(v.probes().get("act_max_abs_channel/transformer.h.0")).isEqualTo(7.0);
        assertThat(v.probes().get("act_max_abs_channel/transformer.h.1")).isNaN();
        // Every record's wall time is bookkeeping: never a compared value (it differed between a waited and a collected sweep).
        assertThat(v.probes()).doesNotContainKey("time");

        Path html = Comparison.write(r, List.of("softmax1 is <interesting>"));
        Document doc = checkPage(html);
        assertThat(imgs(doc)).contains("compare-val-loss.png", "compare-train-loss.png", "compare-act_kurtosis_pearson.png", "compare-act_max_abs.png");
        assertThat(doc.getDocumentElement().getTextContent()).contains("softmax1 is <interesting>").contains("FAILED").contains("loss became NaN")
                .contains("seeds differ");

        List<String> csv = Files.readAllLines(dir.resolve("compare.csv"), StandardCharsets.UTF_8);
        assertThat(csv).hasSize(3);
        List<String> header = List.of(csv.get(0).split(","));
        List<String> row = List.of(csv.get(2).split(",", -1));
        assertThat(row.get(header.indexOf("variant"))).isEqualTo("softmax1");
        assertThat(Double.parseDouble(row.get(header.indexOf("rel_ppl_change_ci95_low")))).isCloseTo(Math.exp(dbar - half) - 1, within(1e-8));
        assertThat(Double.parseDouble(row.get(header.indexOf("rel_ppl_change_ci95_high")))).isCloseTo(Math.exp(dbar + half) - 1, within(1e-8));
        assertThat(row.get(header.indexOf("failed"))).isEqualTo("1");
        assertThat(header).contains("act_kurtosis_pearson/transformer.h.1", "act_max_abs/transformer.h.1");
        List<String> runs = Files.readAllLines(dir.resolve("compare-runs.csv"), StandardCharsets.UTF_8);
        assertThat(runs).hasSize(1 + 7);
        assertThat(runs.get(7)).startsWith("softmax1,10,failed,");
        assertThat(Comparison.text(r)).contains("softmax1").contains("3/3").contains("3/4").contains("interesting (≤ -5.0%)")
                .contains("[" + Comparison.pct(c.low()) + ", " + Comparison.pct(c.high()) + "]");
    }
}
