package dev.nanolab.tokenizers;

import com.google.inject.Module;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Components;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the built-in tokenizers: {@code char}, {@code byte}, {@code tiktoken:gpt2}, {@code tiktoken:p50k_base},
 * {@code tiktoken:cl100k_base}, {@code tiktoken:o200k_base}, {@code bpe} and {@code hf}. See docs/tokenizers.md.
 */
public final class TokenizersPlugin implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @Override
    public Module module() {
        return binder -> components().forEach(spec -> Components.register(binder, spec));
    }

    /** The components this plugin registers, also for code that makes tokenizers without an injector. */
    public static List<ComponentSpec<?, TokenizerFactory>> components() {
        List<ComponentSpec<?, TokenizerFactory>> specs = new ArrayList<>();
        specs.add(ComponentSpec.of(ComponentKind.TOKENIZER, "char",
                "one token per character seen in training (nanoGPT's shakespeare_char)",
                CharConfig.class, CharTokenizerFactory::new));
        specs.add(ComponentSpec.of(ComponentKind.TOKENIZER, "byte",
                "one token per UTF-8 byte, 256 tokens", NoOptions.class, options -> new ByteTokenizerFactory()));
        for (TiktokenEncoding encoding : TiktokenEncoding.values())
            specs.add(ComponentSpec.of(ComponentKind.TOKENIZER, encoding.componentName(),
                    "tiktoken's " + encoding.tiktokenName() + " encoding, through jtokkit",
                    NoOptions.class, options -> new TiktokenTokenizerFactory(encoding)));
        specs.add(ComponentSpec.of(ComponentKind.TOKENIZER, BpeTokenizerFactory.NAME,
                "byte-level BPE trained on the corpus", BpeConfig.class, BpeTokenizerFactory::new));
        specs.add(ComponentSpec.of(ComponentKind.TOKENIZER, HfTokenizerFactory.NAME,
                "byte-level BPE from a HuggingFace tokenizer.json", HfConfig.class, HfTokenizerFactory::new));
        return List.copyOf(specs);
    }
}
