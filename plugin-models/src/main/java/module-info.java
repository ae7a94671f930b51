/** Model architectures: gpt, lstm, wavenet, mlp and the bigram baseline. */
module dev.nanolab.models {
    requires dev.nanolab.api;

    exports dev.nanolab.models;
    exports dev.nanolab.models.gpt;
    exports dev.nanolab.models.modern;
    exports dev.nanolab.models.lstm;
    exports dev.nanolab.models.wavenet;
    exports dev.nanolab.models.mlp;
    exports dev.nanolab.models.bigram;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.models.ModelsPlugin;
}
