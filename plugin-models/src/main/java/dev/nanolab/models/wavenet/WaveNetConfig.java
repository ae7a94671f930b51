package dev.nanolab.models.wavenet;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/**
 * The {@code wavenet} architecture (van den Oord et al., 2016): dilated causal convolutions of kernel 2 with
 * dilations 1, 2, 4, …, block_size/2, so the receptive field is exactly block_size tokens. The defaults are the
 * {@code wavenet-demo} size (about 0.8M parameters with 65 characters).
 *
 * @param blockSize the receptive field, a power of two; log2(block_size) layers
 */
public record WaveNetConfig(
        @Doc("receptive field in tokens, a power of two: log2(block_size) layers, dilations 1, 2, 4, ...") @Range(min = 2) int blockSize,
        @Doc("residual channels") @Range(min = 1) int nEmbd,
        @Doc("skip channels, summed over the layers into the output head") @Range(min = 1) int skipChannels,
        @Doc("layer norm over the channels before each dilated convolution and before the head") boolean layerNorm) {

    public WaveNetConfig {
        if (Integer.bitCount(blockSize) != 1)
            throw new IllegalArgumentException("block_size " + blockSize + " must be a power of two (the receptive field of kernel-2 layers with dilations 1, 2, 4, ...)");
    }

    /** The wavenet-demo size: receptive field 64 (6 layers), 144 residual and skip channels, no normalisation. */
    public WaveNetConfig() {
        this(64, 144, 144, false);
    }

    /** log2(block_size). */
    public int nLayer() {
        return Integer.numberOfTrailingZeros(blockSize);
    }
}
