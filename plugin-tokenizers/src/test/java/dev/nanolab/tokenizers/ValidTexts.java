package dev.nanolab.tokenizers;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;

/** {@link UnicodeTexts#valid()} for {@code @From(supplier = ValidTexts.class)}. */
public final class ValidTexts implements ArbitrarySupplier<String> {
    @Override
    public Arbitrary<String> get() {
        return UnicodeTexts.valid();
    }
}
