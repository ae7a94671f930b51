package dev.nanolab.tokenizers.huggingface.decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code Metaspace}: every {@code replacement} (▁) becomes a space, except in the first token, where, if the
 * pre-tokenizer prepends one ({@code prepend_scheme} not {@code never}), each ▁ is dropped, as HuggingFace does.
 */
record MetaspaceDecoder(int replacement, boolean prepends) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        String mark = Character.toString(replacement);
        for (int i = 0; i < tokens.size(); i++)
            out.add(tokens.get(i).replace(mark, i == 0 && prepends ? "" : " "));
        return out;
    }
}
