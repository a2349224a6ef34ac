package dev.outpost.edge.http;

import java.util.concurrent.atomic.AtomicInteger;

/** A test MBean with an observable effect: {@code increment()} and a writable {@code Value}. */
public class Counter implements CounterMBean {
  private final AtomicInteger calls = new AtomicInteger();
  private volatile int value = 7;

  @Override
  public void increment() {
    calls.incrementAndGet();
  }

  @Override
  public int getCalls() {
    return calls.get();
  }

  @Override
  public int getValue() {
    return value;
  }

  @Override
  public void setValue(int value) {
    this.value = value;
  }
}
