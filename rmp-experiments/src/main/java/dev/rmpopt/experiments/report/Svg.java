package dev.rmpopt.experiments.report;

import dev.rmpopt.telemetry.Html;
import java.util.List;
import java.util.Locale;

/** Inline SVG line and point charts for the experiment's report: no script, no outside file. */
final class Svg {

    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22"};

    private static final int W = 720;
    private static final int H = 260;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 12;
    private static final int BOTTOM = 36;

    /**
     * One series: a name, its color index, x and y values, and optionally a band (low, high) drawn
     * under the line.
     */
    record Series(String name, int color, double[] x, double[] y, double[] low, double[] high, boolean points) {
    }

    private Svg() {
    }

    static String chart(String id, String xLabel, String yLabel, double xMax, double yMax, boolean percent, List<Series> series) {
        double xm = xMax > 0 ? xMax : 1;
        double ym = yMax > 0 ? yMax : 1;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">%n",
                id, W, H, W, H));
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        for (int i = 0; i <= 4; i++) {
            double y = TOP + ph - ph * i / 4.0;
            double v = ym * i / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", LEFT, W - RIGHT, y, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>%n", LEFT - 4, y + 4,
                    percent ? String.format(Locale.ROOT, "%.0f%%", 100 * v) : tick(v)));
        }
        for (int i = 0; i <= 5; i++) {
            double x = LEFT + pw * i / 5.0;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>", x, H - BOTTOM + 14,
                    tick(xm * i / 5.0)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>", LEFT + pw / 2, H - 4,
                Html.escape(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" class=\"axis\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>%n",
                TOP + ph / 2, TOP + ph / 2, Html.escape(yLabel)));
        for (Series s : series) {
            String color = COLORS[s.color() % COLORS.length];
            b.append("<g class=\"series\" data-series=\"").append(Html.escape(s.name())).append("\">");
            if (s.low() != null && s.x().length > 0) {
                StringBuilder poly = new StringBuilder();
                for (int i = 0; i < s.x().length; i++) {
                    poly.append(pt(s.x()[i], s.high()[i], xm, ym, pw, ph)).append(' ');
                }
                for (int i = s.x().length - 1; i >= 0; i--) {
                    poly.append(pt(s.x()[i], s.low()[i], xm, ym, pw, ph)).append(' ');
                }
                b.append("<polygon points=\"").append(poly.toString().trim()).append("\" fill=\"").append(color)
                        .append("\" fill-opacity=\"0.15\" stroke=\"none\"/>");
            }
            if (s.points()) {
                for (int i = 0; i < s.x().length; i++) {
                    String[] p = pt(s.x()[i], s.y()[i], xm, ym, pw, ph).split(",");
                    b.append("<circle cx=\"").append(p[0]).append("\" cy=\"").append(p[1]).append("\" r=\"2.5\" fill=\"").append(color)
                            .append("\" fill-opacity=\"0.7\"/>");
                }
            } else if (s.x().length > 0) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < s.x().length; i++) {
                    line.append(pt(s.x()[i], s.y()[i], xm, ym, pw, ph)).append(' ');
                }
                b.append("<polyline points=\"").append(line.toString().trim()).append("\" fill=\"none\" stroke=\"").append(color)
                        .append("\" stroke-width=\"1.8\"/>");
            }
            b.append("</g>\n");
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static String pt(double x, double y, double xm, double ym, int pw, int ph) {
        double px = LEFT + pw * Math.min(1, Math.max(0, x / xm));
        double py = TOP + ph - ph * Math.min(1, Math.max(0, y / ym));
        return String.format(Locale.ROOT, "%.1f,%.1f", px, py);
    }

    static String tick(double v) {
        if (v == 0) {
            return "0";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
