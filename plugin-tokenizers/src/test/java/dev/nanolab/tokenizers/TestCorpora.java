package dev.nanolab.tokenizers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Local text for tests: no network. */
public final class TestCorpora {
    private TestCorpora() {}

    /** The first .java files of the running JDK's lib/src.zip, in zip order, up to about {@code chars} characters. */
    public static List<String> jdkSources(int chars) {
        Path zip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        List<String> files = new ArrayList<>();
        try (ZipFile src = new ZipFile(zip.toFile())) {
            int total = 0;
            for (Enumeration<? extends ZipEntry> e = src.entries(); e.hasMoreElements() && total < chars; ) {
                ZipEntry entry = e.nextElement();
                if (!entry.getName().endsWith(".java")) continue;
                String text = new String(src.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                files.add(text);
                total += text.length();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + zip + " (the JDK's sources)", e);
        }
        return files;
    }

    /**
     * English text prepared by {@code benchmarks/prepare-corpora}, if it has been run: up to {@code chars}
     * characters, cut at a line end.
     */
    public static Optional<String> preparedEnglish(int chars) {
        Path file = Path.of("..", "benchmarks", "target", "corpora", "english-10mb.txt");
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            String text = Files.readString(file);
            if (text.length() <= chars) return Optional.of(text);
            return Optional.of(text.substring(0, text.lastIndexOf('\n', chars) + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Generated text in many scripts with numbers, emoji, contractions, code and odd whitespace: deterministic for a
     * seed, about {@code chars} characters.
     */
    public static String varied(long seed, int chars) {
        String[] words = {"the", "The", "don't", "it's", "we'll", "they've", "I'm", "you'd", "we're", "Straße", "naïve",
                "café", "e\u0301", "日本語", "中文字", "한국어", "русский", "ελληνικά", "עברית", "العربية", "हिन्दी",
                "ไทย", "👍", "👍🏽", "👨‍👩‍👧", "🇩🇪", "😀😃", "12345", "3.14159", "1,000,000", "0x7fffffff", "1e-9",
                "foo_bar", "fooBar()", "{", "}", "=>", "!=", "&&", "//", "/*", "*/", "\"quoted\"", "'single'",
                "https://example.com/a?b=c", "user@example.com", "\t", "\n", "\r\n", "  ", "   ", "\u00a0", "\u3000",
                "\u2028", "...", "—", "–", "«", "»", "§", "©", "™", "\u200b", "\ufeff", "ﬁ", "Ⅻ", "½", "²", "٣"};
        java.util.Random random = new java.util.Random(seed);
        StringBuilder text = new StringBuilder(chars + 64);
        while (text.length() < chars) {
            text.append(words[random.nextInt(words.length)]);
            int gap = random.nextInt(10);
            text.append(gap < 6 ? " " : gap < 7 ? "\n" : gap < 8 ? "  " : gap < 9 ? ", " : "");
        }
        return text.toString();
    }
}
