package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nanolab bench}: the rows and fields the issues promise, and --vary's side-by-side ratios. Figures are not asserted. */
class BenchIT {
    @TempDir
    Path dir;

    @Test
    void benchTrainJsonHasMsPerStepAndTokensPerSecondPerPresetAndVariant() throws Exception {
        Nanolab.Result r = Nanolab.run(dir, "bench", "train", "--preset", "cpu-demo", "--steps", "3", "--warmup", "1",
                "--set", "model.n_layer=1", "--set", "train.peak_flops=1e9", "--vary", "model.attention=softmax,softmax1,clipped-softmax", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertThat(rows).hasSize(3);
        List<String> variants = new ArrayList<>();
        for (JsonNode row : rows) {
            variants.add(row.get("variant").asText());
            assertThat(row.get("preset").asText()).isEqualTo("cpu-demo");
            assertThat(row.get("ms_per_step").asDouble()).isPositive();
            // Linux's /proc/self/status, read once for the process: the JVM alone is well over 10 MiB.
            assertThat(row.get("peak_rss_mib").asLong()).as("the process's VmHWM").isGreaterThan(10);
            double tokens = 12 * 64 / (row.get("ms_per_step").asDouble() / 1e3);
            assertThat(row.get("tokens_per_s").asDouble()).isCloseTo(tokens, org.assertj.core.data.Percentage.withPercentage(1e-6));
            assertThat(row.get("ratio").asDouble()).isCloseTo(row.get("ms_per_step").asDouble() / rows.get(0).get("ms_per_step").asDouble(),
                    org.assertj.core.data.Percentage.withPercentage(1e-9));
        }
        assertThat(variants).containsExactly("model.attention=softmax", "model.attention=softmax1", "model.attention=clipped-softmax");
        assertThat(rows.get(0).get("ratio").asDouble()).isEqualTo(1.0);
    }

    @Test
    void benchSampleJsonGivesBothPathsTokensPerSecond() throws Exception {
        Nanolab.Result r = Nanolab.run(dir, "bench", "sample", "--preset", "cpu-demo", "--set", "model.n_layer=1", "--tokens", "8",
                "--repeats", "3", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode row = new ObjectMapper().readTree(r.out()).get(0);
        assertThat(row.get("tokens").asInt()).isEqualTo(8);
        assertThat(row.get("tokens_per_s").asDouble()).isPositive();
        assertThat(row.get("recompute_tokens_per_s").asDouble()).isPositive();
        Nanolab.Result none = Nanolab.run(dir, "bench", "sample", "--repeats", "0");
        assertThat(none.code()).isNotZero();
        assertThat(none.err()).contains("--repeats must be >= 1, got 0");
    }

    @Test
    void aMalformedVaryIsOneLine() throws Exception {
        Nanolab.Result r = Nanolab.run(dir, "bench", "train", "--vary", "model.attention");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--vary needs KEY=VALUE1,VALUE2,..., got 'model.attention'").doesNotContain("\n\tat ");
    }

    @Test
    void benchKernelsJsonRowsCarryTheFieldsAndTheSquareGemm() throws Exception {
        Nanolab.Result r = Nanolab.run(dir, "bench", "kernels", "--quick", "--no-numpy", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        List<String> gemmShapes = new ArrayList<>();
        for (JsonNode row : rows) {
            assertThat(row.has("op") && row.has("shape") && row.has("ms") && row.has("gflops") && row.has("gbps") && row.has("threads"))
                    .as(row.toString()).isTrue();
            if (row.get("op").asText().equals("gemm")) gemmShapes.add(row.get("shape").asText());
        }
        assertThat(gemmShapes).contains("1024x1024x1024");
        assertThat(rows.findValuesAsText("op")).contains("attention", "attention backward", "layernorm", "layernorm backward",
                "rmsnorm", "rmsnorm backward", "gelu", "gelu backward", "relu²", "relu² backward", "cross-entropy",
                "cross-entropy backward", "copy (bandwidth)", "peak (fma)");
        // Every memory-bound row's %bw has a copy to be against, on the machine and at its own size.
        for (JsonNode row : rows)
            if (!row.get("gbps").isNull()) assertThat(row.get("copy_gbps").asDouble()).as(row.toString()).isPositive();
        for (JsonNode row : rows)
            if (row.get("op").asText().equals("peak (fma)")) assertThat(row.get("gflops").asDouble()).as("the measured FMA peak").isPositive();
    }
}
