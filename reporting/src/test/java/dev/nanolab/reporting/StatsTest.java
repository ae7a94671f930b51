package dev.nanolab.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.experiment.ExperimentResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statistics of a comparison, against published quantiles and hand computations. */
class StatsTest {
    @Test
    void studentTQuantilesMatchTables() {
        // Two-sided 95% critical values (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
        double[][] table = {{1, 12.7062047}, {2, 4.3026527}, {3, 3.1824463}, {4, 2.7764451}, {5, 2.5705818},
                {10, 2.2281389}, {30, 2.0422725}, {100, 1.9839715}};
        for (double[] row : table) assertThat(Stats.tQuantile(0.975, row[0])).as("df %s", row[0]).isCloseTo(row[1], within(1e-6));
        assertThat(Stats.tQuantile(0.995, 4)).isCloseTo(4.6040949, within(1e-6));
        assertThat(Stats.tQuantile(0.025, 7)).isCloseTo(-Stats.tQuantile(0.975, 7), within(1e-12));
        assertThat(Stats.tCdf(0, 3)).isCloseTo(0.5, within(1e-15));
        // df = 1 is the Cauchy distribution: P(T ≤ t) = 1/2 + atan(t)/π.
        assertThat(Stats.tCdf(2.0, 1)).isCloseTo(0.5 + Math.atan(2.0) / Math.PI, within(1e-12));
    }

    @Test
    void meanAndSampleStandardDeviation() {
        assertThat(Stats.mean(new double[] {1, 2, 3, 4})).isEqualTo(2.5);
        assertThat(Stats.std(new double[] {1, 2, 3, 4})).isCloseTo(Math.sqrt(5.0 / 3), within(1e-15));
        assertThat(Stats.std(new double[] {1})).isNaN();
    }

    @Test
    void pairedRelativePerplexityChangeIsTheHandComputation() {
        double[] base = {1.50, 1.52, 1.47}, variant = {1.40, 1.45, 1.41};
        // d = variant − base = (−0.10, −0.07, −0.06); mean −0.0766667; sd = sqrt(Σ(d − d̄)²/2); t(0.975, 2) = 4.3026527.
        double dbar = (-0.10 - 0.07 - 0.06) / 3;
        double sd = Math.sqrt((Math.pow(-0.10 - dbar, 2) + Math.pow(-0.07 - dbar, 2) + Math.pow(-0.06 - dbar, 2)) / 2);
        double half = 4.3026527 * sd / Math.sqrt(3);
        var c = Stats.relativeChange(base, variant, 0.05).orElseThrow();
        assertThat(c.estimate()).isCloseTo(Math.exp(dbar) - 1, within(1e-12));
        assertThat(c.low()).isCloseTo(Math.exp(dbar - half) - 1, within(1e-7));
        assertThat(c.high()).isCloseTo(Math.exp(dbar + half) - 1, within(1e-7));
        assertThat(c.pairs()).isEqualTo(3);
        assertThat(c.meetsThreshold()).isTrue();      // exp(−0.0767) − 1 = −7.4% ≤ −5%
        assertThat(c.ciBeyondThreshold()).isFalse();  // the interval reaches above −5%
        var one = Stats.relativeChange(new double[] {2.0}, new double[] {1.9}, 0.05).orElseThrow();
        assertThat(one.low()).isNaN();
        assertThat(one.ciBeyondThreshold()).isFalse();
        assertThat(Stats.relativeChange(new double[0], new double[0], 0.05)).isEmpty();
    }

    @Test
    void pairingUsesOnlySeedsWhereBothRunsFinished() {
        Path d = Path.of(".");
        List<ExperimentResult.Run> base = List.of(new ExperimentResult.Run(1, true, "", 1.5, 1.5, d),
                new ExperimentResult.Run(2, false, "boom", Double.NaN, Double.NaN, d), new ExperimentResult.Run(3, true, "", 1.6, 1.6, d));
        List<ExperimentResult.Run> var = List.of(new ExperimentResult.Run(3, true, "", 1.4, 1.4, d),
                new ExperimentResult.Run(2, true, "", 1.3, 1.3, d), new ExperimentResult.Run(1, true, "", 1.45, 1.45, d));
        double[][] p = Stats.paired(base, var);
        assertThat(p[0]).containsExactly(1.5, 1.6);
        assertThat(p[1]).containsExactly(1.45, 1.4);
    }
}
