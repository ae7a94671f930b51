package dev.nanolab.training.config;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/** Sampling defaults, as nanoGPT's sample.py. */
public record SampleConfig(
        @Doc("the prompt") String start,
        @Doc("how many samples") @Range(min = 1) int numSamples,
        @Doc("tokens to generate per sample") @Range(min = 1) int maxNewTokens,
        @Doc("divides the logits; lower is more conservative") @Range(min = 0, minOpen = true) double temperature,
        @Doc("keep only the k most likely tokens; 0 = all") @Range(min = 0) int topK,
        @Doc("keep the smallest set of tokens whose probability reaches p; 1 = all") @Range(min = 0, max = 1, minOpen = true) double topP,
        @Doc("random seed of the sampler") long seed,
        @Doc("stop a sample at this token text (e.g. <|endoftext|>); empty = never") String stop) {

    public SampleConfig() {
        this("\n", 3, 500, 0.8, 200, 1.0, 1337, "");
    }
}
