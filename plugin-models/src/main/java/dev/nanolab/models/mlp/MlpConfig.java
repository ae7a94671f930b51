package dev.nanolab.models.mlp;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/**
 * The {@code mlp} architecture (Bengio et al., 2003): the embeddings of the previous block_size tokens, concatenated,
 * through tanh hidden layers to the vocabulary. The defaults are the {@code mlp-demo} size (about 0.8M parameters
 * with 65 characters).
 *
 * @param preciseBnBatches training batches that {@link BengioMlp#recalibrate} re-estimates the batch-norm statistics
 *                         over before an evaluation; 0 keeps the running averages
 */
public record MlpConfig(
        @Doc("context: each position sees the previous block_size tokens, a pad token before the start") @Range(min = 1) int blockSize,
        @Doc("embedding width per token") @Range(min = 1) int nEmbd,
        @Doc("hidden layer width") @Range(min = 1) int nHidden,
        @Doc("hidden layers") @Range(min = 1, max = 100) int nLayer,
        @Doc("batch norm after each hidden linear layer") boolean batchNorm,
        @Doc("training batches PreciseBN recalibrates batch-norm statistics over before evaluating; 0 = running averages") @Range(min = 0) int preciseBnBatches) {

    /** The mlp-demo size: 64 tokens of 12-wide embeddings, two hidden layers of 576, batch norm, PreciseBN over 20 batches. */
    public MlpConfig() {
        this(64, 12, 576, 2, true, 20);
    }
}
