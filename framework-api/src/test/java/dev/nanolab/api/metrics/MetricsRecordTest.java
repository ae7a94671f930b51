package dev.nanolab.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.probe.Histogram;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsRecordTest {
    @Test
    void keepsValuesInOrderIncludingNullsNestedMapsAndHistograms() {
        Histogram h = new Histogram(new double[] {0, 1}, new long[] {4});
        MetricsRecord r = MetricsRecord.of("probe", 3, 12.5).put("b", 1.0).put("a", null).put("h", h).put("m", Map.of("x", 2L)).build();
        assertThat(r.values().keySet()).containsExactly("b", "a", "h", "m");
        assertThat(r.values()).containsEntry("a", null).containsEntry("h", h).containsEntry("m", Map.of("x", 2L));
        assertThat(r.time()).isEqualTo(12.5);
        assertThat(r.iteration()).isEqualTo(3);
    }

    @Test
    void isACopyTheCallerCannotChange() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("loss", 1.0);
        MetricsRecord r = new MetricsRecord("train", 0, 0, values);
        values.put("loss", 2.0);
        assertThat(r.values()).containsEntry("loss", 1.0);
        assertThatThrownBy(() -> r.values().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesReservedKeysAndValuesNoSinkCanWriteNamingThem() {
        assertThatThrownBy(() -> MetricsRecord.of("train", 0).put("time", 1.0).build())
                .hasMessage("a train record may not set 'time': every sink writes it itself");
        assertThatThrownBy(() -> MetricsRecord.of("probe", 0).put("m", Map.of("w", new int[] {1})).build())
                .hasMessage("probe.m.w: a metrics value must be a number, string, boolean, histogram, map or null, not a [I");
        assertThatThrownBy(() -> MetricsRecord.of(" ", 0).build()).hasMessage("a metrics record needs a type");
    }
}
