package dev.nanolab.tokenizers;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;

/** {@link UnicodeTexts#withLoneSurrogates()} for {@code @From(supplier = LoneSurrogateTexts.class)}. */
public final class LoneSurrogateTexts implements ArbitrarySupplier<String> {
    @Override
    public Arbitrary<String> get() {
        return UnicodeTexts.withLoneSurrogates();
    }
}
