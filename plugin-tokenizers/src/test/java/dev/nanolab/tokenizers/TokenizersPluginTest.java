package dev.nanolab.tokenizers;

import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.Components;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TokenizersPluginTest {
    private static final TextCorpus CORPUS = TextCorpus.of("small",
            "First Citizen:\nBefore we proceed any further, hear me speak.\n", "All:\nSpeak, speak.\n");
    private static final Map<String, ComponentSpec<?, TokenizerFactory>> SPECS = ComponentRegistry.of(new TokenizersPlugin()).specs(ComponentKind.TOKENIZER).stream()
            .collect(Collectors.toMap(ComponentSpec::name, s -> s, (a, b) -> a, TreeMap::new));

    @Test
    void registersEveryTokenizerThroughGuice() {
        Set<ComponentSpec<?, TokenizerFactory>> registered = Guice.createInjector(new TokenizersPlugin())
                .getInstance(Components.setKey(ComponentKind.TOKENIZER));
        assertThat(registered).extracting(ComponentSpec::name).containsExactlyInAnyOrder(
                "char", "byte", "tiktoken:gpt2", "tiktoken:p50k_base", "tiktoken:cl100k_base", "tiktoken:o200k_base",
                "bpe", "hf");
        assertThat(registered).allSatisfy(s -> assertThat(s.kind()).isEqualTo(ComponentKind.TOKENIZER));
        assertThat(new TokenizersPlugin().apiVersion()).isEqualTo(NanolabApi.VERSION);
    }

    @Test
    void everyConfigIsAPublicRecordWithDefaultsInAnExportedPackage() {
        for (ComponentSpec<?, TokenizerFactory> spec : SPECS.values()) {
            Class<?> type = spec.configType();
            assertThat(type.isRecord()).as(spec.name()).isTrue();
            assertThat(spec.defaults()).as(spec.name()).isNotNull();
            assertThat(type.getModule().isExported(type.getPackageName())).as(spec.name()).isTrue();
        }
    }

    @Test
    void everyTokenizerRoundTripsItsTrainingTextAndReloadsFromItsState() {
        for (ComponentSpec<?, TokenizerFactory> spec : SPECS.values()) {
            if (spec.name().equals("hf")) continue; // needs a file: HfTokenizerTest
            TokenizerFactory factory = spec.create(spec.defaults());
            assertThat(factory.trainable()).as(spec.name()).isEqualTo(spec.name().equals("char") || spec.name().equals("bpe"));
            Tokenizer tokenizer = factory.train(CORPUS);
            assertThat(tokenizer.name()).isEqualTo(spec.name());
            String text = "Before we proceed, hear me speak.\n";
            assertThat(tokenizer.decode(tokenizer.encode(text))).as(spec.name()).isEqualTo(text);
            Tokenizer loaded = factory.load(tokenizer.state());
            assertThat(loaded.fingerprint()).as(spec.name()).isEqualTo(tokenizer.fingerprint()).hasSize(64);
            assertThat(loaded.encode(text)).as(spec.name()).isEqualTo(tokenizer.encode(text));
        }
    }

    @Test
    void theHfDefaultAsksForAPath() {
        TokenizerFactory hf = SPECS.get("hf").create(SPECS.get("hf").defaults());
        assertThatThrownBy(() -> hf.train(CORPUS)).hasMessage("hf: set path to a HuggingFace tokenizer.json");
    }

    @Test
    void fingerprintsDifferBetweenTokenizers() {
        List<String> fingerprints = SPECS.values().stream().filter(s -> !s.name().equals("hf"))
                .map(s -> s.create(s.defaults()).train(CORPUS).fingerprint()).toList();
        assertThat(fingerprints).doesNotHaveDuplicates();
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> jsonish = Arbitraries.of("{}", "[]", "null", "1", "\"x\"", "{\"format\": 1}",
                "{\"format\": \"nanolab-bpe\", \"version\": 1}", "{\"format\": \"nanolab-char\", \"version\": 1, \"unit\": 3}",
                "{\"format\": \"nanolab-tiktoken\", \"version\": 1, \"encoding\": \"gpt5\"}", "{\"model\": {\"type\": \"BPE\"}}",
                "{\"format\": \"nanolab-bpe\", \"version\": 1, \"split_pattern\": null, \"add_prefix_space\": false,"
                        + " \"ignore_merges\": false, \"special_tokens\": {}, \"tokens\": [], \"merges\": []}")
                .map(String::getBytes);
        return Arbitraries.oneOf(random, jsonish);
    }

    @Property(tries = 200)
    void anyCorruptStateIsRefusedWithAOneLineMessage(@ForAll("garbage") byte[] state) {
        for (ComponentSpec<?, TokenizerFactory> spec : SPECS.values()) {
            TokenizerFactory factory = spec.create(spec.defaults());
            assertThatThrownBy(() -> factory.load(state)).as(spec.name())
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n", "\r"));
        }
    }
}
