package dev.nanolab.tokenizers.huggingface.decoder;

import java.util.List;

/** {@code Sequence}: each decoder in turn on the list the one before it made. */
record SequenceDecoder(List<Decoder> steps) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        for (Decoder step : steps) tokens = step.decodeChain(tokens);
        return tokens;
    }
}
