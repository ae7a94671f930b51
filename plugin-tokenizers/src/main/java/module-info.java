/**
 * Tokenizers: {@code char}, {@code byte}, the tiktoken encodings through jtokkit, a trainable byte-level {@code bpe},
 * and {@code hf} for HuggingFace tokenizer.json files. Packages with config records are exported.
 */
module dev.nanolab.tokenizers {
    requires transitive dev.nanolab.api;
    requires jtokkit;
    requires com.fasterxml.jackson.databind;

    exports dev.nanolab.tokenizers;
    exports dev.nanolab.tokenizers.chars;
    exports dev.nanolab.tokenizers.bpe;
    exports dev.nanolab.tokenizers.huggingface;

    provides dev.nanolab.api.plugin.Plugin with dev.nanolab.tokenizers.TokenizersPlugin;
}
