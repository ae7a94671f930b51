/** Tokenizers: char, byte, tiktoken encodings through jtokkit, and a trainable byte-level BPE. */
module dev.nanolab.tokenizers {
    requires dev.nanolab.api;
    requires jtokkit;
    requires com.fasterxml.jackson.databind;

    exports dev.nanolab.tokenizers;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.tokenizers.TokenizersPlugin;
}
