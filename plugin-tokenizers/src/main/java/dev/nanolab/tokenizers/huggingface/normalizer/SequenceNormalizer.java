package dev.nanolab.tokenizers.huggingface.normalizer;

import java.util.List;

/** {@code Sequence}: each normalizer in turn. */
record SequenceNormalizer(List<Normalizer> steps) implements Normalizer {
    @Override
    public String normalize(String text) {
        for (Normalizer step : steps) text = step.normalize(text);
        return text;
    }
}
