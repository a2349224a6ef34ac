package dev.outpost.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /actuator/prometheus} (Prometheus text exposition) for the apps' metrics
 * tests: series, written as name and labels, to value; sums and differences over the series of a
 * name that carry given labels, as PromQL's sum() and increase() would give them.
 */
public record PrometheusScrape(Map<String, Double> values) {
  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  public static PrometheusScrape parse(String text) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!line.startsWith("#") && m.matches()) {
        values.put(
            m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
      }
    }
    return new PrometheusScrape(values);
  }

  public List<String> series() {
    return List.copyOf(values.keySet());
  }

  public boolean has(String name, Map<String, String> labels) {
    return values.keySet().stream().anyMatch(s -> matches(s, name, labels));
  }

  /** The sum over the series of this name carrying these labels (0 when there is none). */
  public double value(String name, Map<String, String> labels) {
    return values.entrySet().stream()
        .filter(e -> matches(e.getKey(), name, labels))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  public double delta(PrometheusScrape before, String name, Map<String, String> labels) {
    return value(name, labels) - before.value(name, labels);
  }

  private static boolean matches(String series, String name, Map<String, String> labels) {
    int brace = series.indexOf('{');
    if (!(brace < 0 ? series : series.substring(0, brace)).equals(name)) {
      return false;
    }
    Map<String, String> have = new LinkedHashMap<>();
    Matcher m = LABEL.matcher(brace < 0 ? "" : series.substring(brace));
    while (m.find()) {
      have.put(m.group(1), m.group(2));
    }
    return labels.entrySet().stream().allMatch(l -> l.getValue().equals(have.get(l.getKey())));
  }
}
