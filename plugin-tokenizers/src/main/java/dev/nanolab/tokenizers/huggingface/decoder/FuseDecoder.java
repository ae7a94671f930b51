package dev.nanolab.tokenizers.huggingface.decoder;

import java.util.List;

/** {@code Fuse}: all tokens joined into one. */
record FuseDecoder() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        return List.of(String.join("", tokens));
    }
}
