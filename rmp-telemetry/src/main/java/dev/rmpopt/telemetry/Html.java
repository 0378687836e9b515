package dev.rmpopt.telemetry;

/** Escaping for text in HTML (and SVG): the one used by every report rmpopt writes. */
public final class Html {

    private Html() {
    }

    /**
     * {@code text} with {@code & < > " '} replaced by their character references, so that it is
     * safe both as element text and inside a quoted attribute.
     *
     * @param text any text
     * @return the escaped text
     */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
