package dev.outpost.system.bench;

import java.util.Arrays;

/** Recorded durations in nanoseconds and their percentiles (nearest rank). */
final class Latencies {
  private long[] values = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  synchronized void addAll(Latencies other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  synchronized int count() {
    return size;
  }

  /** The p-th percentile (0 < p ≤ 100) in milliseconds. */
  synchronized double percentileMs(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, rank))] / 1_000_000.0;
  }
}
