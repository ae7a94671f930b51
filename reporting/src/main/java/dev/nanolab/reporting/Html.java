package dev.nanolab.reporting;

import java.util.List;
import java.util.Locale;

/**
 * A small writer of self-contained pages: no scripts, no external style sheets, images by relative path. The
 * output is well-formed XML (XHTML served as HTML5), so any XML parser reads it.
 */
final class Html {
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
            h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
            td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
            th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
            img{max-width:100%;display:block;margin:.5em 0}pre{background:#f7f7f7;padding:.8em;white-space:pre-wrap}
            .note{color:#666;font-size:.9em}.good{color:#1a7f37}.bad{color:#b42318}
            """;

    private final StringBuilder sb = new StringBuilder();

    Html(String title) {
        sb.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(esc(title)).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<h1>")
                .append(esc(title)).append("</h1>\n");
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder o = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> o.append("&amp;");
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '"' -> o.append("&quot;");
                case '\'' -> o.append("&#39;");
                default -> {
                    // Characters XML 1.0 does not allow are dropped (a sample may hold any code point).
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0xFFFE || c == 0xFFFF) continue;
                    o.append(c);
                }
            }
        }
        return o.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return String.format(Locale.ROOT, "%d", (long) v);
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    Html h2(String text) {
        sb.append("<h2>").append(esc(text)).append("</h2>\n");
        return this;
    }

    Html p(String text) {
        sb.append("<p>").append(esc(text)).append("</p>\n");
        return this;
    }

    Html note(String text) {
        return p("note", text);
    }

    /** A paragraph with a CSS class. */
    Html p(String cls, String text) {
        sb.append("<p class=\"").append(esc(cls)).append("\">").append(esc(text)).append("</p>\n");
        return this;
    }

    Html pre(String text) {
        sb.append("<pre>").append(esc(text)).append("</pre>\n");
        return this;
    }

    Html img(String src, String alt) {
        sb.append("<img src=\"").append(esc(src)).append("\" alt=\"").append(esc(alt)).append("\"/>\n");
        return this;
    }

    /** A table; cells that parse as numbers are right-aligned. */
    Html table(List<String> header, List<List<String>> rows) {
        sb.append("<table>\n<tr>");
        for (String h : header) sb.append("<th>").append(esc(h)).append("</th>");
        sb.append("</tr>\n");
        for (List<String> r : rows) {
            sb.append("<tr>");
            for (String c : r) {
                boolean numeric = c != null && c.matches("[-+]?[0-9.]+(e[-+]?[0-9]+)?( ± [0-9.e+-]+)?");
                sb.append(numeric ? "<td class=\"num\">" : "<td>").append(esc(c)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        return this;
    }

    /** A collapsed section holding a table. */
    Html details(String summary, List<String> header, List<List<String>> rows) {
        sb.append("<details><summary>").append(esc(summary)).append("</summary>\n");
        table(header, rows);
        sb.append("</details>\n");
        return this;
    }

    String finish() {
        return sb + "</body>\n</html>\n";
    }
}
