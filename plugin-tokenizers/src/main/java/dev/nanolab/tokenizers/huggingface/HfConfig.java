package dev.nanolab.tokenizers.huggingface;

import dev.nanolab.api.config.Doc;

/**
 * Options of the {@code hf} tokenizer.
 *
 * @param path the {@code tokenizer.json} to load; it must be set (the default, empty, is an error when used)
 */
public record HfConfig(
        @Doc("path of a HuggingFace tokenizer.json: byte-level BPE, WordPiece, SentencePiece-style BPE or Unigram")
        String path) {

    public HfConfig {
        if (path == null) path = "";
    }

    public HfConfig() {
        this("");
    }
}
