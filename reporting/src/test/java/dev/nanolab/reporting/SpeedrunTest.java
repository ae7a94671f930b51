package dev.nanolab.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.experiment.ExperimentResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The speedrun's reading of target lines and its paired time-to-target ratio. */
class SpeedrunTest {
    @TempDir
    Path dir;

    @Test
    void ratioIsTheGeometricMeanOfPairedRatiosWithTheTInterval() {
        var base = new Speedrun.Recipe("baseline", List.of(new Speedrun.Finish(1, true, 400, 400), new Speedrun.Finish(2, true, 500, 500),
                new Speedrun.Finish(3, true, 450, 300), new Speedrun.Finish(4, false, -1, Double.NaN)));
        var modern = new Speedrun.Recipe("modern", List.of(new Speedrun.Finish(1, true, 200, 200), new Speedrun.Finish(2, true, 300, 250),
                new Speedrun.Finish(3, true, 150, 180), new Speedrun.Finish(4, true, 100, 100)));
        Speedrun.Ratio r = Speedrun.timeRatio(base, modern).orElseThrow();
        // Seed 4 did not reach the target in the baseline: three pairs, log ratios ln(0.5), ln(0.5), ln(0.6).
        double[] d = {Math.log(0.5), Math.log(0.5), Math.log(0.6)};
        double mean = Stats.mean(d), half = Stats.tQuantile(0.975, 2) * Stats.std(d) / Math.sqrt(3);
        assertThat(r.n()).isEqualTo(3);
        assertThat(r.estimate()).isCloseTo(Math.cbrt(0.5 * 0.5 * 0.6), within(1e-12));
        assertThat(r.lo()).isCloseTo(Math.exp(mean - half), within(1e-12));
        assertThat(r.hi()).isCloseTo(Math.exp(mean + half), within(1e-12));
        // Steps: 200/400, 300/500, 150/450.
        assertThat(Speedrun.stepRatio(base, modern).orElseThrow().estimate()).isCloseTo(Math.cbrt(0.5 * 0.6 / 3), within(1e-12));
        assertThat(Speedrun.text(List.of(base, modern), 2.2)).contains("3/4").contains("4/4").contains("modern/baseline time to target: 0.531");
    }

    @Test
    void targetLinesAreReadFromRunFolders() throws IOException {
        Path reached = Files.createDirectories(dir.resolve("a")), missed = Files.createDirectories(dir.resolve("b"));
        Files.writeString(reached.resolve("metrics.jsonl"), """
                {"type":"eval","iter":0,"val_loss":7.0}
                {"type":"eval","iter":50,"val_loss":2.1}
                {"type":"target","iter":50,"target_val_loss":2.2,"val_loss":2.1,"train_time_s":12.5,"wall_time_s":20.0}
                """);
        Files.writeString(missed.resolve("metrics.jsonl"), "{\"type\":\"eval\",\"iter\":0,\"val_loss\":7.0}\n");
        var result = new ExperimentResult(dir, 0.05, List.of(new ExperimentResult.Variant("modern", java.util.Map.of(), List.of(
                new ExperimentResult.Run(1, true, "", 2.1, 2.1, reached), new ExperimentResult.Run(2, true, "", 7, 7, missed),
                new ExperimentResult.Run(3, false, "exit 1", Double.NaN, Double.NaN, missed)), null, null, null,
                java.util.Optional.empty(), java.util.Map.of())));
        List<Speedrun.Finish> runs = Speedrun.read(result).getFirst().runs();
        assertThat(runs).containsExactly(new Speedrun.Finish(1, true, 50, 12.5), new Speedrun.Finish(2, false, -1, Double.NaN),
                new Speedrun.Finish(3, false, -1, Double.NaN));
        assertThat(Files.readString(Speedrun.writeCsv(dir, Speedrun.read(result)))).contains("modern,1,true,50,12.500").contains("modern,2,false,-1,");
    }
}
