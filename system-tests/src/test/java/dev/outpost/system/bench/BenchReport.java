package dev.outpost.system.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The benchmark's table: each figure beside the raw limit of the same machine measured in the same
 * run, their ratio and the target. Printed, and written as JSON and a PNG chart.
 */
final class BenchReport {
  /**
   * One figure. {@code higherIsBetter}: throughputs; else latencies and times. {@code raw} and
   * {@code target} may be NaN (no raw counterpart, no target).
   */
  record Row(
      String figure,
      String unit,
      double outpost,
      double raw,
      double target,
      boolean higherIsBetter,
      String note) {
    /** Outpost as a share of the raw limit: 1.0 = as fast as the parts allow. */
    double ratio() {
      if (Double.isNaN(raw) || raw == 0 || Double.isNaN(outpost) || outpost == 0) {
        return Double.NaN;
      }
      return higherIsBetter ? outpost / raw : raw / outpost;
    }

    String verdict() {
      if (Double.isNaN(target) || Double.isNaN(outpost)) {
        return "";
      }
      boolean met = higherIsBetter ? outpost >= target : outpost <= target;
      return met ? "met" : "MISSED";
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final String machine;

  BenchReport(String machine) {
    this.machine = machine;
  }

  void add(Row row) {
    rows.add(row);
    System.out.println("bench: " + format(row));
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append("Outpost benchmark — ").append(machine).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "%-58s %12s %12s %8s %12s %7s%n",
            "figure",
            "outpost",
            "raw limit",
            "ratio",
            "target",
            ""));
    for (Row r : rows) {
      out.append(format(r)).append('\n');
    }
    return out.toString();
  }

  private static String format(Row r) {
    return String.format(
        Locale.ROOT,
        "%-58s %12s %12s %8s %12s %7s%s",
        r.figure() + " (" + r.unit() + ")",
        number(r.outpost()),
        number(r.raw()),
        Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "%.0f%%", r.ratio() * 100),
        (Double.isNaN(r.target()) ? "-" : (r.higherIsBetter() ? "≥ " : "≤ ") + number(r.target())),
        r.verdict(),
        r.note().isEmpty() ? "" : "  " + r.note());
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("machine", machine);
    ArrayNode list = doc.putArray("figures");
    for (Row r : rows) {
      ObjectNode o = list.addObject();
      o.put("figure", r.figure());
      o.put("unit", r.unit());
      put(o, "outpost", r.outpost());
      put(o, "raw", r.raw());
      put(o, "ratio", r.ratio());
      put(o, "target", r.target());
      o.put("verdict", r.verdict());
      o.put("note", r.note());
    }
    Files.writeString(dir.resolve("bench.json"), doc.toPrettyString());
    Files.writeString(dir.resolve("bench.txt"), table());
    ImageIO.write(chart(), "png", dir.resolve("bench.png").toFile());
  }

  private static void put(ObjectNode o, String name, double v) {
    if (Double.isNaN(v)) {
      o.putNull(name);
    } else {
      o.put(name, v);
    }
  }

  /** One bar per figure with a raw limit: its ratio to that limit (100% = the parts' speed). */
  private BufferedImage chart() {
    List<Row> withRatio = rows.stream().filter(r -> !Double.isNaN(r.ratio())).toList();
    int barH = 26;
    int width = 900;
    int height = 60 + Math.max(1, withRatio.size()) * (barH + 10);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString("Outpost as a share of the raw limit (same machine, same run)", 10, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int left = 420;
    int span = width - left - 60;
    int y = 40;
    for (Row r : withRatio) {
      double share = Math.min(1.0, r.ratio());
      g.setColor(Color.BLACK);
      g.drawString(r.figure(), 10, y + 17);
      g.setColor(share >= 0.9 ? new Color(0x2e7d32) : new Color(0xc62828));
      g.fillRect(left, y, (int) Math.max(2, share * span), barH);
      g.setColor(Color.BLACK);
      g.drawRect(left, y, span, barH);
      g.drawString(String.format(Locale.ROOT, "%.1f%%", r.ratio() * 100), left + span + 6, y + 17);
      y += barH + 10;
    }
    g.dispose();
    return img;
  }
}
