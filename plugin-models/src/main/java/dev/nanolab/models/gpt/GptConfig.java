package dev.nanolab.models.gpt;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.DefaultComponent;
import dev.nanolab.api.embedding.EmbeddingVariant;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/**
 * nanoGPT's {@code GPTConfig}, with its defaults (GPT-2 124M), plus the attention variant and the input embedding.
 *
 * @param vocabSize 0 takes the tokenizer's vocabulary size; a larger value pads it (nanoGPT uses 50304 for GPT-2)
 */
public record GptConfig(
        @Doc("transformer blocks") @Range(min = 1, max = 1000) int nLayer,
        @Doc("attention heads per block") @Range(min = 1, max = 1024) int nHead,
        @Doc("model width; divisible by n_head") @Range(min = 1) int nEmbd,
        @Doc("longest context") @Range(min = 1) int blockSize,
        @Doc("vocabulary size; 0 = the tokenizer's") @Range(min = 0) int vocabSize,
        @Doc("dropout on attention weights, residuals and embeddings") @Range(min = 0, max = 1, maxOpen = true) float dropout,
        @Doc("biases in linear layers and layer norms (nanoGPT's bias)") boolean bias,
        @Doc("the attention variant") @DefaultComponent("softmax") ComponentRef<AttentionVariant> attention,
        @Doc("the input embedding: token (a lookup) or mot (mixture of tokenizers)") @DefaultComponent("token") ComponentRef<EmbeddingVariant> embedding) {

    public GptConfig {
        if (nEmbd % nHead != 0)
            throw new IllegalArgumentException("n_embd " + nEmbd + " must be divisible by n_head " + nHead);
    }

    /** With the token lookup embedding. */
    public GptConfig(int nLayer, int nHead, int nEmbd, int blockSize, int vocabSize, float dropout, boolean bias,
                     ComponentRef<AttentionVariant> attention) {
        this(nLayer, nHead, nEmbd, blockSize, vocabSize, dropout, bias, attention, null);
    }

    /** nanoGPT's defaults: 12 layers, 12 heads, 768 wide, block 1024, bias, no dropout, softmax attention. */
    public GptConfig() {
        this(12, 12, 768, 1024, 0, 0f, true, null, null);
    }
}
