package dev.nanolab.datasets.npm;

import java.util.ArrayList;
import java.util.List;

/** Reads a JSON array of strings ({@code ["a", "b\n"]}), the format of nlp-corpus's files, without a JSON library. */
final class JsonStrings {
    private final String s;
    private int i;

    private JsonStrings(String s) {
        this.s = s;
    }

    /**
     * The strings of the array.
     *
     * @throws IllegalArgumentException saying where, when the text is not a JSON array of strings
     */
    static List<String> parseArray(String json) {
        JsonStrings p = new JsonStrings(json);
        List<String> out = new ArrayList<>();
        p.space();
        p.expect('[');
        p.space();
        if (p.peek() == ']') p.i++;
        else {
            while (true) {
                p.space();
                out.add(p.string());
                p.space();
                char c = p.next();
                if (c == ']') break;
                if (c != ',') throw p.error("expected ',' or ']'");
            }
        }
        p.space();
        if (p.i < json.length()) throw p.error("unexpected text after the array");
        return out;
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') return b.toString();
            if (c < 0x20) throw error("a control character inside a string");
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) throw error("a truncated \\u escape");
                    try {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("a bad \\u escape");
                    }
                    i += 4;
                }
                default -> throw error("a bad escape \\" + e);
            }
        }
    }

    private void space() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) i++;
    }

    private char peek() {
        if (i >= s.length()) throw error("unexpected end");
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            i--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("not a JSON array of strings: " + what + " at character " + i);
    }
}
