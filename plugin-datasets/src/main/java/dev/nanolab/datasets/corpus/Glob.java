package dev.nanolab.datasets.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Glob patterns over '/'-separated relative paths (zip entries, files under a folder), the same on every platform.
 *
 * <ul>
 *   <li>{@code *} matches any run of characters within one path segment, {@code ?} one character of a segment;</li>
 *   <li>{@code **} matches across segments; {@code **}{@code /} also matches no folder at all, so
 *   {@code **}{@code /*.java} matches {@code A.java} as well as {@code a/b/A.java};</li>
 *   <li>{@code [abc]}, {@code [a-z]}, {@code [!a-z]} match one character of a set; {@code {a,b}} either alternative;</li>
 *   <li>a pattern without '/' is matched against the file name alone (so {@code *.md} finds markdown files in every
 *   folder); a pattern with '/' against the whole path ({@code java.base/**} is everything under {@code java.base}).</li>
 * </ul>
 *
 * A list of patterns matches a path when any of them does; an empty list matches every path.
 */
public final class Glob {
    private Glob() {}

    /** A predicate over relative paths that is true when any of the patterns matches (always true for none). */
    public static Predicate<String> anyOf(List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) return path -> true;
        List<Predicate<String>> compiled = new ArrayList<>();
        for (String p : patterns) compiled.add(of(p));
        return path -> {
            for (Predicate<String> c : compiled)
                if (c.test(path)) return true;
            return false;
        };
    }

    /**
     * One pattern as a predicate.
     *
     * @throws IllegalArgumentException naming the pattern when it is empty or has an unclosed '[' or '{'
     */
    public static Predicate<String> of(String glob) {
        if (glob == null || glob.isEmpty()) throw new IllegalArgumentException("an include pattern is empty");
        Pattern regex = Pattern.compile(toRegex(glob));
        if (glob.indexOf('/') < 0) {
            return path -> regex.matcher(path.substring(path.lastIndexOf('/') + 1)).matches();
        }
        return path -> regex.matcher(path).matches();
    }

    /** The glob as a Java regular expression over the whole string. */
    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                            i++;
                            re.append("(?:.*/)?");
                        } else re.append(".*");
                    } else re.append("[^/]*");
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) throw new IllegalArgumentException("include pattern '" + glob + "' has a '[' without ']'");
                    String set = glob.substring(i + 1, end);
                    boolean negate = set.startsWith("!") || set.startsWith("^");
                    if (negate) set = set.substring(1);
                    re.append('[').append(negate ? "^/" : "");
                    for (char s : set.toCharArray()) {
                        if (s == '\\' || s == '[' || s == ']' || s == '&' || s == '^') re.append('\\');
                        re.append(s);
                    }
                    re.append(']');
                    i = end;
                }
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (braces == 0) re.append("\\}");
                    else {
                        braces--;
                        re.append(')');
                    }
                }
                case ',' -> re.append(braces > 0 ? "|" : ",");
                default -> {
                    if ("\\.^$+()|".indexOf(c) >= 0) re.append('\\');
                    re.append(c);
                }
            }
        }
        if (braces > 0) throw new IllegalArgumentException("include pattern '" + glob + "' has a '{' without '}'");
        return re.toString();
    }
}
