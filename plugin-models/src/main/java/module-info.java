/** Model architectures (gpt, modern-gpt, lstm, wavenet, mlp, the bigram baseline) and input embeddings (token, mot). */
module dev.nanolab.models {
    requires dev.nanolab.api;

    exports dev.nanolab.models;
    exports dev.nanolab.models.gpt;
    exports dev.nanolab.models.modern;
    exports dev.nanolab.models.lstm;
    exports dev.nanolab.models.wavenet;
    exports dev.nanolab.models.mlp;
    exports dev.nanolab.models.bigram;
    exports dev.nanolab.models.embedding;
    exports dev.nanolab.models.decoding;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.models.ModelsPlugin;
}
