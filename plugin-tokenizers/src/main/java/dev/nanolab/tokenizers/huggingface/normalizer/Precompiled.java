package dev.nanolab.tokenizers.huggingface.normalizer;

import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.Base64;
import java.util.Locale;

/**
 * {@code Precompiled}: SentencePiece's compiled normalization rules (T5, ALBERT, XLM-R files), applied as
 * HuggingFace applies them. {@code precompiled_charsmap} is base64 of: a little-endian u32 {@code n}, then a
 * darts-clone double-array trie of {@code n} bytes (u32 units) over the UTF-8 of the source strings, whose values are
 * offsets into the rest, NUL-terminated UTF-8 replacements. Each grapheme cluster (extended, as
 * {@link BreakIterator} finds them) of fewer than 6 UTF-8 bytes is replaced whole by the replacement of its
 * shortest prefix in the trie, if any; otherwise each character is replaced by its own, or kept.
 */
final class Precompiled implements Normalizer {
    private final int[] units;
    private final byte[] replacements;

    private Precompiled(int[] units, byte[] replacements) {
        this.units = units;
        this.replacements = replacements;
    }

    static Precompiled read(HfNode node) {
        byte[] map;
        try {
            map = Base64.getDecoder().decode(node.text());
        } catch (IllegalArgumentException e) {
            throw node.invalid("is not base64: " + e.getMessage());
        }
        ByteBuffer in = ByteBuffer.wrap(map).order(ByteOrder.LITTLE_ENDIAN);
        long trieBytes = map.length >= 4 ? in.getInt() & 0xFFFFFFFFL : -1;
        if (trieBytes < 4 || trieBytes % 4 != 0 || trieBytes > map.length - 4)
            throw node.invalid("is not a charsmap: its trie size " + trieBytes + " does not fit its " + map.length + " bytes");
        int[] units = new int[(int) (trieBytes / 4)];
        for (int i = 0; i < units.length; i++) units[i] = in.getInt();
        byte[] replacements = new byte[in.remaining()];
        in.get(replacements);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(replacements));
        } catch (CharacterCodingException e) {
            throw node.invalid("is not a charsmap: its replacements are not UTF-8");
        }
        return new Precompiled(units, replacements);
    }

    @Override
    public String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(text);
        for (int start = graphemes.first(), end = graphemes.next(); end != BreakIterator.DONE; start = end, end = graphemes.next()) {
            String grapheme = text.substring(start, end);
            byte[] bytes = grapheme.getBytes(StandardCharsets.UTF_8);
            String whole = bytes.length < 6 ? replacement(bytes) : null;
            if (whole != null) {
                out.append(whole);
                continue;
            }
            grapheme.codePoints().forEach(c -> {
                String one = replacement(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                if (one != null) out.append(one);
                else out.appendCodePoint(c);
            });
        }
        return out.toString();
    }

    /** The replacement of the shortest prefix of {@code key} in the trie (darts-clone's common prefix search), or null. */
    private String replacement(byte[] key) {
        int pos = offset(unit(0));
        for (byte b : key) {
            int c = b & 0xFF;
            if (c == 0) return null;
            pos ^= c;
            int unit = unit(pos);
            if ((unit & (1 << 31 | 0xFF)) != c) return null;
            pos ^= offset(unit);
            if ((unit >>> 8 & 1) == 1) return pos < units.length ? text(units[pos] & 0x7FFFFFFF) : null;
        }
        return null;
    }

    private int unit(int pos) {
        return pos >= 0 && pos < units.length ? units[pos] : 0;
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }

    private String text(int from) {
        if (from >= replacements.length) return null;
        int to = from;
        while (to < replacements.length && replacements[to] != 0) to++;
        return new String(replacements, from, to - from, StandardCharsets.UTF_8);
    }
}
