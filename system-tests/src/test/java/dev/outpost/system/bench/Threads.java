package dev.outpost.system.bench;

/** Load threads (Java 17: no Thread.ofPlatform). */
final class Threads {
  private Threads() {}

  static Thread start(Runnable work) {
    Thread t = new Thread(work, "bench-client");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
