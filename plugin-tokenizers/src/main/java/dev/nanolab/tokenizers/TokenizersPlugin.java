package dev.nanolab.tokenizers;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.tokenizers.bpe.BpeConfig;
import dev.nanolab.tokenizers.bpe.BpeTokenizerFactory;
import dev.nanolab.tokenizers.bytes.ByteTokenizerFactory;
import dev.nanolab.tokenizers.chars.CharConfig;
import dev.nanolab.tokenizers.chars.CharTokenizerFactory;
import dev.nanolab.tokenizers.huggingface.HfConfig;
import dev.nanolab.tokenizers.huggingface.HfTokenizerFactory;
import dev.nanolab.tokenizers.tiktoken.TiktokenEncoding;
import dev.nanolab.tokenizers.tiktoken.TiktokenTokenizerFactory;

import static dev.nanolab.api.plugin.ComponentKind.TOKENIZER;

/**
 * Registers the built-in tokenizers: {@code char}, {@code byte}, {@code tiktoken:gpt2}, {@code tiktoken:p50k_base},
 * {@code tiktoken:cl100k_base}, {@code tiktoken:o200k_base}, {@code bpe} and {@code hf}. See docs/tokenizers.md.
 */
public final class TokenizersPlugin extends AbstractModule implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @ProvidesIntoSet
    public ComponentSpec<?, TokenizerFactory> chars() {
        return ComponentSpec.of(TOKENIZER, "char", "one token per character seen in training (nanoGPT's shakespeare_char)",
                CharConfig.class, CharTokenizerFactory::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, TokenizerFactory> bytes() {
        return ComponentSpec.of(TOKENIZER, "byte", "one token per UTF-8 byte, 256 tokens",
                NoOptions.class, options -> new ByteTokenizerFactory());
    }

    @ProvidesIntoSet
    public ComponentSpec<?, TokenizerFactory> tiktokenGpt2() {
        return tiktoken(TiktokenEncoding.GPT2);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, TokenizerFactory> tiktokenP50k() {
        return tiktoken(TiktokenEncoding.P50K_BASE);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, TokenizerFactory> tiktokenCl100k() {
        return tiktoken(TiktokenEncoding.CL100K_BASE);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, TokenizerFactory> tiktokenO200k() {
        return tiktoken(TiktokenEncoding.O200K_BASE);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, TokenizerFactory> bpe() {
        return ComponentSpec.of(TOKENIZER, BpeTokenizerFactory.NAME, "byte-level BPE trained on the corpus",
                BpeConfig.class, BpeTokenizerFactory::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, TokenizerFactory> hf() {
        return ComponentSpec.of(TOKENIZER, HfTokenizerFactory.NAME, "a HuggingFace tokenizer.json (byte-level BPE, WordPiece, SentencePiece BPE, Unigram)",
                HfConfig.class, HfTokenizerFactory::new);
    }

    private static ComponentSpec<?, TokenizerFactory> tiktoken(TiktokenEncoding encoding) {
        return ComponentSpec.of(TOKENIZER, encoding.componentName(), "tiktoken's " + encoding.tiktokenName() + " encoding, through jtokkit",
                NoOptions.class, options -> new TiktokenTokenizerFactory(encoding));
    }
}
