package dev.nanolab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.tracking.csv.CsvSink;
import dev.nanolab.tracking.jsonl.JsonlSink;
import dev.nanolab.tracking.tensorboard.TensorBoardSink;
import org.junit.jupiter.api.Test;

class TrackingPluginTest {
    @Test
    void registersTheThreeSinksUnderTheMetricsSinkKind() {
        ComponentRegistry registry = ComponentRegistry.of(new TrackingPlugin());
        assertThat(registry.kinds()).contains(ComponentKind.METRICS_SINK);
        assertThat(registry.spec(ComponentKind.METRICS_SINK, "jsonl").create(new dev.nanolab.api.config.NoOptions())).isInstanceOf(JsonlSink.class);
        assertThat(registry.spec(ComponentKind.METRICS_SINK, "csv").create(new dev.nanolab.api.config.NoOptions())).isInstanceOf(CsvSink.class);
        assertThat(registry.spec(ComponentKind.METRICS_SINK, "tensorboard").create(new dev.nanolab.api.config.NoOptions())).isInstanceOf(TensorBoardSink.class);
    }
}
