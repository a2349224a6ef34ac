package dev.outpost.edge.http;

/** Management interface of {@link Counter}. */
public interface CounterMBean {
  void increment();

  int getCalls();

  int getValue();

  void setValue(int value);
}
