package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Experiments from code: the README's JShell example trains, evaluates, samples and reads metrics without the CLI. */
class JShellIT {
    @TempDir
    Path dir;

    @Test
    void theJShellExampleTrainsEvaluatesSamplesAndReadsMetrics() throws Exception {
        Path checkout = Path.of(System.getProperty("nanolab.checkout", ".."));
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Path text = Files.writeString(dir.resolve("corpus.txt"), "The main method: public static void main(String[] args) { return 1; }\n".repeat(400));
        ProcessBuilder pb = new ProcessBuilder(List.of(jshell.toString(), "--module-path", Nanolab.DIST.resolve("lib").toString(),
                "--add-modules", "ALL-MODULE-PATH", "-R--add-modules=jdk.incubator.vector", "-R-Dnanolab.home=" + Nanolab.DIST,
                checkout.resolve("examples/jshell/train.jsh").toString()))
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("NANOLAB_TEXT", text.toString());
        pb.environment().put("NANOLAB_OUT", dir.resolve("run").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).containsPattern("trained 60 steps: last train loss \\d+\\.\\d+, best val loss \\d+\\.\\d+")
                .containsPattern("val perplexity \\d+\\.\\d+ over \\d+ tokens").contains("eval points: 3").contains("sample: The ");
        assertThat(dir.resolve("run/best.safetensors")).exists();
        assertThat(dir.resolve("run/metrics.jsonl")).isNotEmptyFile();
    }
}
