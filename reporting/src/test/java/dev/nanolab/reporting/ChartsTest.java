package dev.nanolab.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What keeps a chart readable: smoothing, the top-k series, tick formats. */
class ChartsTest {
    @Test
    void emaIsDebiasedSoItStartsAtTheFirstValue() {
        double[] s = Charts.ema(new double[] {4, 4, 4, 2}, 0.9);
        assertThat(s[0]).isEqualTo(4, within(1e-12));
        assertThat(s[2]).isEqualTo(4, within(1e-12));
        // (0.9·(0.9·0.1·4 + 0.1·4)... debiased: weights 0.1·0.9^k / (1 − 0.9^4) over 2, 4, 4, 4.
        double w = 1 - Math.pow(0.9, 4);
        assertThat(s[3]).isCloseTo((0.1 * 2 + 0.09 * 4 + 0.081 * 4 + 0.0729 * 4) / w, within(1e-12));
        assertThat(Charts.ema(new double[] {1, Double.NaN, 3}, 0.5)[1]).isNaN();
    }

    @Test
    void topKKeepsTheLinesWithTheLargestFinalMagnitudeInTheirOrder() {
        List<Charts.Line> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) lines.add(new Charts.Line("layer " + i, new double[] {0, 1}, new double[] {0, i % 2 == 0 ? i : -i}, null, false, true));
        List<Charts.Line> top = Charts.topK(lines, 3);
        assertThat(top).extracting(Charts.Line::name).containsExactly("layer 9", "layer 10", "layer 11");
        assertThat(Charts.topK(lines.subList(0, 2), 3)).hasSize(2);
    }

    @Test
    void learningRatesGetScientificTicksLossesDecimals() {
        assertThat(Charts.decimalPattern(3.9e-4)).isEqualTo("0.0##E0");
        assertThat(Charts.decimalPattern(2.5)).isEqualTo("#,##0.####");
        assertThat(Charts.decimalPattern(2e6)).isEqualTo("#,##0");
        assertThat(new java.text.DecimalFormat(Charts.decimalPattern(3.86138613861e-4)).format(3.86138613861e-4)).isEqualTo("3.861E-4");
    }
}
