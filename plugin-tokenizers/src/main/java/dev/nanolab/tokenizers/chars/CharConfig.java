package dev.nanolab.tokenizers.chars;

import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/**
 * Options of the {@code char} tokenizer. The defaults reproduce nanoGPT's {@code shakespeare_char}: every character
 * seen in training is in the vocabulary (65 for tiny Shakespeare), and an unseen character is an error.
 *
 * <p>For a large corpus with a long tail of rare characters (the JDK sources hold a few thousand distinct code
 * points, most of them a handful of times in localisation data and tests), keep the vocabulary small with
 * {@code coverage} or {@code min_frequency} and map the rest to {@code unk_token} with {@code unknown: unk}.
 *
 * @param unit         what one token is
 * @param coverage     the vocabulary is the most frequent characters that together make up at least this fraction
 *                     of the training text; the rarer rest are unknown
 * @param minFrequency characters seen fewer times than this in training are unknown
 * @param unknown      what encoding does with a character outside the vocabulary
 * @param unkToken     the text of the unknown token, which decoding gives back for it
 */
public record CharConfig(
        @Doc("what one token is: CHAR (a UTF-16 unit, like Java's char) or CODE_POINT (a Unicode code point, like Python's str)")
        Unit unit,
        @Doc("keep the most frequent characters covering this fraction of the training text; the rarer rest are unknown")
        @Range(min = 0, max = 1, minOpen = true)
        double coverage,
        @Doc("characters seen fewer times than this in training are unknown")
        @Range(min = 1)
        int minFrequency,
        @Doc("a character outside the vocabulary: ERROR (fail, naming it and its position) or UNK (encode unk_token)")
        Unknown unknown,
        @Doc("text of the unknown token; it gets the last id, after the characters")
        String unkToken) {

    /** What one token of the {@code char} tokenizer is. */
    public enum Unit {
        /** A UTF-16 code unit: an emoji is two tokens (its surrogates). */
        CHAR,
        /** A Unicode code point: an emoji is one token. */
        CODE_POINT
    }

    /** What encoding does with a character that is not in the vocabulary. */
    public enum Unknown {
        /** Throw an {@link IllegalArgumentException} naming the character and its index in the text. */
        ERROR,
        /** Encode it as the unknown token. */
        UNK
    }

    public CharConfig {
        if (unit == null) throw new ConfigException("unit", "must be CHAR or CODE_POINT");
        if (unknown == null) throw new ConfigException("unknown", "must be ERROR or UNK");
        if (!(coverage > 0 && coverage <= 1)) throw new ConfigException("coverage", coverage + " is not in (0, 1]");
        if (minFrequency < 1) throw new ConfigException("min_frequency", minFrequency + " is less than 1");
        if (unknown == Unknown.UNK && (unkToken == null || unkToken.isEmpty()))
            throw new ConfigException("unk_token", "must not be empty when unknown is UNK");
        if (unknown == Unknown.ERROR && (coverage < 1 || minFrequency > 1))
            throw new ConfigException("unknown", "coverage < 1 or min_frequency > 1 leaves characters of the training"
                    + " text out of the vocabulary, so encoding that text would fail; set unknown to UNK");
    }

    /** The defaults: every character seen, as UTF-16 units; unseen characters are an error. */
    public CharConfig() {
        this(Unit.CHAR, 1.0, 1, Unknown.ERROR, "<unk>");
    }
}
