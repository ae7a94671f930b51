/** Run reports and comparisons: metrics.jsonl, statistics over seeds, PNG plots (XChart), HTML and CSV. */
module dev.nanolab.reporting {
    requires transitive dev.nanolab.training;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.knowm.xchart;
    requires org.apache.commons.statistics.distribution;
    requires java.desktop;

    exports dev.nanolab.reporting;
}
