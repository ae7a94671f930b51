package dev.nanolab.tokenizers.bpe;

import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.tokenizers.codec.Utf8;
import java.util.HashSet;
import java.util.List;

/**
 * Options of the trainable {@code bpe} tokenizer. The defaults: 8192 tokens, GPT-2's pre-tokenizer, one special
 * token {@code <|endoftext|>} (the last id), characters covering 99.99% of the text, pairs seen at least twice,
 * no limit on token length.
 *
 * @param vocabSize         the number of ids: 256 bytes + merges + special tokens. Training stops early, with a
 *                          smaller vocabulary, if no pair is left that occurs {@code minFrequency} times
 * @param characterCoverage the most frequent characters that make up this fraction of the training text may be
 *                          merged into tokens; the rarer rest stay as their UTF-8 bytes (byte fallback), so a few
 *                          stray code points do not spend the vocabulary on fragments of themselves
 * @param minFrequency      a pair seen fewer times than this in the training text is never merged
 * @param maxPieceLength    no token is longer than this many bytes; 0 for no limit
 * @param specialTokens     special tokens, given the last ids in this order
 * @param preTokenizer      how text is cut before merging; merges never cross a cut
 * @param threads           threads for counting the training text, 0 for one per core; the result is the same for
 *                          any number
 */
public record BpeConfig(
        @Doc("number of token ids: 256 bytes + merges + special tokens")
        @Range(min = 256, max = 1 << 24)
        int vocabSize,
        @Doc("characters making up this fraction of the training text may be merged; rarer ones stay as bytes")
        @Range(min = 0, max = 1, minOpen = true)
        double characterCoverage,
        @Doc("a pair seen fewer times than this is never merged")
        @Range(min = 1)
        int minFrequency,
        @Doc("longest token in bytes, 0 for no limit")
        @Range(min = 0)
        int maxPieceLength,
        @Doc("special tokens such as <|endoftext|>, given the last ids in this order")
        List<String> specialTokens,
        @Doc("how text is cut before merging: GPT2 (GPT-2's regex) or NONE (each document is one piece)")
        PreTokenizer preTokenizer,
        @Doc("training threads, 0 for one per core; the result does not depend on it")
        @Range(min = 0)
        int threads) {

    /** How training and encoding cut text into pieces before merging. */
    public enum PreTokenizer {
        /**
         * GPT-2's regex: contractions, runs of letters, of digits, of other symbols (each with one optional leading
         * space), and whitespace. Tokens never span two words.
         */
        GPT2("'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"),
        /**
         * No cut: merges may span words and lines. Training then treats each document as one sequence, which is
         * slow for long documents; meant for small corpora and experiments.
         */
        NONE(null);

        private final String pattern;

        PreTokenizer(String pattern) {
            this.pattern = pattern;
        }

        /**
         * The split as a {@link java.util.regex.Pattern} for {@code UNICODE_CHARACTER_CLASS}, null for none. GPT-2's
         * is spelt as tiktoken spells it (GPT-2's {@code encoder.py} lists the contractions one by one).
         */
        public String pattern() {
            return pattern;
        }
    }

    public BpeConfig {
        if (preTokenizer == null) throw new ConfigException("pre_tokenizer", "must be GPT2 or NONE");
        if (specialTokens == null) specialTokens = List.of();
        specialTokens = List.copyOf(specialTokens);
        HashSet<String> seen = new HashSet<>();
        for (String s : specialTokens) {
            if (s.isEmpty()) throw new ConfigException("special_tokens", "a special token is empty");
            if (Utf8.firstLoneSurrogate(s) >= 0)
                throw new ConfigException("special_tokens", "a special token has a lone surrogate");
            if (!seen.add(s)) throw new ConfigException("special_tokens", s + " is listed twice");
        }
        if (vocabSize < 256 + specialTokens.size())
            throw new ConfigException("vocab_size", vocabSize + " is less than 256 bytes + " + specialTokens.size()
                    + " special tokens");
        if (!(characterCoverage > 0 && characterCoverage <= 1))
            throw new ConfigException("character_coverage", characterCoverage + " is not in (0, 1]");
        if (minFrequency < 1) throw new ConfigException("min_frequency", minFrequency + " is less than 1");
        if (maxPieceLength < 0) throw new ConfigException("max_piece_length", maxPieceLength + " is negative");
        if (threads < 0) throw new ConfigException("threads", threads + " is negative");
    }

    public BpeConfig() {
        this(8192, 0.9999, 2, 0, List.of("<|endoftext|>"), PreTokenizer.GPT2, 0);
    }

    /** This config with another vocabulary size. */
    public BpeConfig withVocabSize(int size) {
        return new BpeConfig(size, characterCoverage, minFrequency, maxPieceLength, specialTokens, preTokenizer, threads);
    }

    /** This config with another number of threads. */
    public BpeConfig withThreads(int count) {
        return new BpeConfig(vocabSize, characterCoverage, minFrequency, maxPieceLength, specialTokens, preTokenizer, count);
    }
}
