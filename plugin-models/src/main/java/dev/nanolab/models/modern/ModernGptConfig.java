package dev.nanolab.models.modern;

import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.DefaultComponent;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.embedding.EmbeddingVariant;

/**
 * The {@code modern-gpt} architecture: nanoGPT's GPT with each of modded-nanogpt's architecture changes behind its own
 * switch. The defaults are modded-nanogpt's choices at a CPU size (6 layers, 4 heads, 192 wide, 256 tokens); with every
 * switch off ({@link #nanoGpt}) the model is nanoGPT's GPT.
 */
public record ModernGptConfig(
        @Doc("transformer blocks") @Range(min = 1, max = 1000) int nLayer,
        @Doc("attention heads per block") @Range(min = 1, max = 1024) int nHead,
        @Doc("model width; divisible by n_head") @Range(min = 1) int nEmbd,
        @Doc("longest context") @Range(min = 1) int blockSize,
        @Doc("vocabulary size; 0 = the tokenizer's") @Range(min = 0) int vocabSize,
        @Doc("dropout on attention weights, residuals and embeddings") @Range(min = 0, max = 1, maxOpen = true) float dropout,
        @Doc("biases in linear layers and layer norms") boolean bias,
        @Doc("the normalisation: layer (nanoGPT) or rms (modded-nanogpt)") Norm norm,
        @Doc("rms norms have a learned scale (modded-nanogpt's have none); layer norms always do") boolean normWeight,
        @Doc("normalise the token embedding before the first block (modded-nanogpt's x0 = norm(embed(x)))") boolean embedNorm,
        @Doc("positions: none (learned position embeddings), standard or half-truncated rotary (YAML reads a bare off as false)") Rope rope,
        @Doc("rotary base: the slowest frequency is 1/base") @Range(min = 1, minOpen = true) double ropeBase,
        @Doc("rms-normalise queries and keys per head before attention") boolean qkNorm,
        @Doc("attention score scale; 0 = 1/sqrt(head size) (modded-nanogpt uses 0.12)") @Range(min = 0) float attentionScale,
        @Doc("the MLP: gelu (nanoGPT), relu2 (relu squared, modded-nanogpt) or swiglu") MlpKind mlp,
        @Doc("MLP hidden width; 0 = 4·n_embd (swiglu: 8·n_embd/3, the same parameter count)") @Range(min = 0) int mlpHidden,
        @Doc("an untied, zero-initialised LM head; off = tied to the token embedding") boolean untiedHead,
        @Doc("zero-initialise the attention and MLP output projections") boolean zeroInitProjections,
        @Doc("initialisation: gpt2 (normal 0.02, scaled residual projections) or modded (uniform ±√3·0.5/√in, unit-normal embeddings)") InitScheme init,
        @Doc("value-embedding tables, mixed into the values of the first and last that many layers (pattern 012…012); 0 = none") @Range(min = 0) int valueEmbeds,
        @Doc("U-net skips: the second half's layers add the first half's outputs with learned weights") boolean unetSkips,
        @Doc("x0 residual lambdas: each block starts from λ0·x + λ1·x0 (x0 the embedded input)") boolean x0Lambdas,
        @Doc("logit softcap: none, tanh (cap·tanh(z/cap)) or sigmoid (cap·σ(z/(cap/4)), modded-nanogpt's 30·σ(z/7.5))") Softcap softcap,
        @Doc("the softcap's cap") @Range(min = 0, minOpen = true) float softcapValue,
        @Doc("per-layer windows, cycled over the layers: L long, S short (long/2); empty = all long") String windowPattern,
        @Doc("the long window in tokens; 0 = block_size") @Range(min = 0) int longWindow,
        @Doc("the long window at step 0 when it grows; 0 = no growth (long_window from the start)") @Range(min = 0) int windowStart,
        @Doc("training forward passes (steps × gradient_accumulation_steps) over which the long window grows linearly from window_start (when > 0) to long_window") @Range(min = 0) long windowWarmupIters,
        @Doc("growing windows are rounded up to a multiple of this many tokens (modded-nanogpt: 128)") @Range(min = 1) int windowBlock,
        @Doc("token id that opens a document (attention never crosses documents); -1 = no document masks") @Range(min = -1) int documentBoundary,
        @Doc("the attention variant") @DefaultComponent("softmax") ComponentRef<AttentionVariant> attention,
        @Doc("the input embedding: token (a lookup) or mot (mixture of tokenizers)") @DefaultComponent("token") ComponentRef<EmbeddingVariant> embedding) {

    /** Layer norm (nanoGPT) or RMS norm. */
    public enum Norm { LAYER, RMS }

    /** No rotary embedding (learned positions instead), or a rotary table. */
    public enum Rope { NONE, STANDARD, HALF_TRUNCATED }

    /** The MLP's nonlinearity. */
    public enum MlpKind { GELU, RELU2, SWIGLU }

    /** No logit cap, tanh, or the shifted sigmoid. */
    public enum Softcap { NONE, TANH, SIGMOID }

    /** nanoGPT's (GPT-2's) initialisation or modded-nanogpt's. */
    public enum InitScheme { GPT2, MODDED }

    public ModernGptConfig {
        if (nEmbd % nHead != 0)
            throw new IllegalArgumentException("model.n_embd " + nEmbd + " must be divisible by model.n_head " + nHead);
        if (rope != Rope.NONE && (nEmbd / nHead) % (rope == Rope.HALF_TRUNCATED ? 4 : 2) != 0)
            throw new IllegalArgumentException("model.rope=" + rope.name().toLowerCase().replace('_', '-') + " needs a head size divisible by "
                    + (rope == Rope.HALF_TRUNCATED ? 4 : 2) + ", got " + nEmbd / nHead);
        if (2 * valueEmbeds > nLayer)
            throw new IllegalArgumentException("model.value_embeds " + valueEmbeds + ": the 012…012 pattern needs 2·value_embeds ≤ n_layer " + nLayer);
        if (windowPattern == null) windowPattern = "";
        if (!windowPattern.matches("[LS]*"))
            throw new IllegalArgumentException("model.window_pattern '" + windowPattern + "': only L (long) and S (short) are allowed");
        if (longWindow > blockSize)
            throw new IllegalArgumentException("model.long_window " + longWindow + " is larger than block_size " + blockSize);
        if (windowStart > (longWindow == 0 ? blockSize : longWindow))
            throw new IllegalArgumentException("model.window_start " + windowStart + " is larger than the long window " + (longWindow == 0 ? blockSize : longWindow));
        if (windowStart > 0 && windowWarmupIters == 0)
            throw new IllegalArgumentException("model.window_start " + windowStart + " needs window_warmup_iters > 0 to grow over");
    }

    /** With the token lookup embedding. */
    public ModernGptConfig(int nLayer, int nHead, int nEmbd, int blockSize, int vocabSize, float dropout, boolean bias, Norm norm,
                           boolean normWeight, boolean embedNorm, Rope rope, double ropeBase, boolean qkNorm, float attentionScale,
                           MlpKind mlp, int mlpHidden, boolean untiedHead, boolean zeroInitProjections, InitScheme init,
                           int valueEmbeds, boolean unetSkips, boolean x0Lambdas, Softcap softcap, float softcapValue,
                           String windowPattern, int longWindow, int windowStart, long windowWarmupIters, int windowBlock,
                           int documentBoundary, ComponentRef<AttentionVariant> attention) {
        this(nLayer, nHead, nEmbd, blockSize, vocabSize, dropout, bias, norm, normWeight, embedNorm, rope, ropeBase, qkNorm,
                attentionScale, mlp, mlpHidden, untiedHead, zeroInitProjections, init, valueEmbeds, unetSkips, x0Lambdas, softcap,
                softcapValue, windowPattern, longWindow, windowStart, windowWarmupIters, windowBlock, documentBoundary, attention, null);
    }

    /** modded-nanogpt's choices at a CPU size. */
    public ModernGptConfig() {
        this(6, 4, 192, 256, 0, 0f, false, Norm.RMS, false, true, Rope.HALF_TRUNCATED, 1024, true, 0.12f, MlpKind.RELU2, 0,
                true, true, InitScheme.MODDED, 3, true, true, Softcap.SIGMOID, 30f, "LSSL", 0, 0, 0, 16, -1, null);
    }

    /** Every switch off: nanoGPT's GPT (layer norm, learned positions, GELU, tied head, GPT-2 init) at this shape. */
    public static ModernGptConfig nanoGpt(int nLayer, int nHead, int nEmbd, int blockSize, float dropout, boolean bias,
                                          ComponentRef<AttentionVariant> attention) {
        return new ModernGptConfig(nLayer, nHead, nEmbd, blockSize, 0, dropout, bias, Norm.LAYER, true, false, Rope.NONE,
                10000, false, 0f, MlpKind.GELU, 0, false, false, InitScheme.GPT2, 0, false, false, Softcap.NONE, 30f, "", 0,
                0, 0, 1, -1, attention);
    }

    /** The logit softcap as the loss kernels take it; null when off. */
    public LogitSoftcap logitSoftcap() {
        return switch (softcap) {
            case NONE -> null;
            case TANH -> new LogitSoftcap(LogitSoftcap.Kind.TANH, softcapValue);
            case SIGMOID -> new LogitSoftcap(LogitSoftcap.Kind.SIGMOID, softcapValue);
        };
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    /** The MLP's hidden width. */
    public int hiddenWidth() {
        if (mlpHidden > 0) return mlpHidden;
        return mlp == MlpKind.SWIGLU ? Math.max(1, 8 * nEmbd / 3) : 4 * nEmbd;
    }
}
