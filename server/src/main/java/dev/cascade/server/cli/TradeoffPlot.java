package dev.cascade.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A small SVG chart of accuracy against cost: the cascade's frontier as a line, single models as labelled dots. */
final class TradeoffPlot {
    record Point(double cost, double accuracy, String label) {
    }

    private static final int W = 640, H = 420, LEFT = 70, RIGHT = 30, TOP = 40, BOTTOM = 60;

    private TradeoffPlot() {
    }

    static void write(Path file, String title, List<Point> frontier, List<Point> models) throws IOException {
        double minAcc = Math.min(frontier.stream().mapToDouble(Point::accuracy).min().orElse(1),
                models.stream().mapToDouble(Point::accuracy).min().orElse(1));
        double lo = Math.max(0, Math.floor(minAcc * 20) / 20 - 0.01);
        double hi = 1.0;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n", W, H));
        s.append("<rect width='100%' height='100%' fill='white'/>\n");
        s.append(String.format(Locale.ROOT, "<text x='%d' y='22' font-size='15'>%s</text>%n", LEFT, escape(title)));
        for (int i = 0; i <= 10; i++) {
            double x = x(i / 10.0);
            s.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>%n", x, TOP, x, H - BOTTOM));
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%d%%</text>%n", x, H - BOTTOM + 16, i * 10));
        }
        for (int i = 0; i <= 5; i++) {
            double a = lo + (hi - lo) * i / 5;
            double y = y(a, lo, hi);
            s.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n", LEFT, y, W - RIGHT, y));
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%.1f%%</text>%n", LEFT - 6, y + 4, 100 * a));
        }
        s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>cost, relative to the last stage alone</text>%n",
                LEFT + (W - LEFT - RIGHT) / 2, H - 18));
        s.append(String.format(Locale.ROOT, "<text x='16' y='%d' transform='rotate(-90 16 %d)' text-anchor='middle'>accuracy (held-out half)</text>%n",
                TOP + (H - TOP - BOTTOM) / 2, TOP + (H - TOP - BOTTOM) / 2));
        StringBuilder line = new StringBuilder();
        for (Point p : frontier) {
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.cost()), y(p.accuracy(), lo, hi)));
        }
        s.append("<polyline fill='none' stroke='#1f77b4' stroke-width='2' points='").append(line.toString().strip()).append("'/>\n");
        for (Point p : frontier) {
            s.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='2.5' fill='#1f77b4'/>%n", x(p.cost()), y(p.accuracy(), lo, hi)));
        }
        for (Point p : models) {
            double px = x(p.cost()), py = y(p.accuracy(), lo, hi);
            s.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='5' fill='#d62728'/>%n", px, py));
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' text-anchor='end'>%s</text>%n", px - 8, py + 16,
                    escape(p.label())));
        }
        s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='#1f77b4'>— cascade, cheapest thresholds per accuracy</text>%n",
                W - RIGHT - 300, H - BOTTOM - 10));
        s.append("</svg>\n");
        Files.writeString(file, s.toString());
    }

    private static double x(double cost) {
        return LEFT + Math.min(1, Math.max(0, cost)) * (W - LEFT - RIGHT);
    }

    private static double y(double accuracy, double lo, double hi) {
        return TOP + (hi - accuracy) / (hi - lo) * (H - TOP - BOTTOM);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
