package dev.nanolab.tokenizers.huggingface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.LoneSurrogateTexts;
import dev.nanolab.tokenizers.ValidTexts;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Encoding never throws, decoding valid ids never throws, and Llama-style BPE round-trips every valid string. */
class PipelinePropertiesTest {
    private static final Tokenizer BERT = HfFiles.load(HfFiles.bert());
    private static final Tokenizer LLAMA = HfFiles.load(HfFiles.llama());
    private static final Tokenizer LLAMA_METASPACE = HfFiles.load(HfFiles.llamaMetaspace("first"));
    private static final Tokenizer T5 = HfFiles.load(HfFiles.t5());
    private static final List<Tokenizer> ALL = List.of(BERT, LLAMA, LLAMA_METASPACE, T5);

    @Property(tries = 150)
    void encodeNeverThrowsAndItsIdsDecode(@ForAll(supplier = LoneSurrogateTexts.class) String text) {
        for (Tokenizer tokenizer : ALL) {
            int[] ids = tokenizer.encode(text);
            assertThat(java.util.Arrays.stream(ids).allMatch(id -> id >= 0 && id < tokenizer.vocabSize())).isTrue();
            assertThat(tokenizer.decode(ids)).isNotNull();
        }
        assertThat(BERT.encode(text, Set.of("[CLS]", "[SEP]"))).isNotNull();
        assertThat(T5.encode(text, Set.of("</s>"))).isNotNull();
    }

    @Property(tries = 300)
    void decodingAnyValidIdsNeverThrows(@ForAll @Size(max = 30) List<@IntRange(min = 0, max = 15) Integer> small,
                                        @ForAll("seeds") long seed) {
        java.util.Random random = new java.util.Random(seed);
        for (Tokenizer tokenizer : ALL) {
            int[] ids = new int[small.size()];
            for (int i = 0; i < ids.length; i++) ids[i] = random.nextBoolean() ? small.get(i) % tokenizer.vocabSize() : random.nextInt(tokenizer.vocabSize());
            assertThat(tokenizer.decode(ids)).isNotNull();
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    /** Byte fallback covers every character, and Strip takes off exactly the ▁ the normalizer put in front. */
    @Property(tries = 200)
    void llamaStyleBpeRoundTripsEveryValidStringWithoutMetaspace(@ForAll(supplier = ValidTexts.class) String text) {
        String s = text.replace("▁", "_");
        assertThat(LLAMA.decode(LLAMA.encode(s))).isEqualTo(s);
    }
}
