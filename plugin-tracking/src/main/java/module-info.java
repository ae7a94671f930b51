/**
 * The built-in metrics sinks: {@code jsonl} (metrics.jsonl, which {@code report} and {@code compare} read),
 * {@code csv} (one file per record type) and {@code tensorboard} (event files).
 */
module dev.nanolab.tracking {
    requires dev.nanolab.api;
    requires com.fasterxml.jackson.databind;
    requires com.google.protobuf;

    exports dev.nanolab.tracking;
    exports dev.nanolab.tracking.jsonl;
    exports dev.nanolab.tracking.csv;
    exports dev.nanolab.tracking.tensorboard;
    // protobuf-java reaches the generated messages' accessors reflectively (toString, field access tables).
    opens dev.nanolab.tracking.tensorboard.proto to com.google.protobuf;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.tracking.TrackingPlugin;
}
