package dev.outpost.system.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the apps run as a real OS process ({@code java -jar}), the way it runs in the field.
 *
 * <p>Output goes to {@code target/process-logs/<name>.log} (appended across restarts). Data dir and
 * ports are fixed for the life of the object, so {@link #start()} after {@link #kill9()} or {@link
 * #stop()} is a restart on the same state. Every instance is registered for clean-up, and a JVM
 * shutdown hook kills whatever a failed test left running.
 */
public final class AppProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AppProcess.class);
  private static final Set<AppProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(AppProcess::close), "app-process-reaper"));
  }

  private final String name;
  private final Path jar;
  private final int httpPort;
  private final Path dataDir;
  private final Map<String, String> env;
  private final List<String> jvmArgs;
  private final Path logFile;
  private Process process;
  private int starts;
  private boolean frozen;

  public AppProcess(
      String name,
      Path jar,
      int httpPort,
      Path dataDir,
      Map<String, String> env,
      List<String> jvmArgs) {
    this.name = name;
    this.jar = jar;
    this.httpPort = httpPort;
    this.dataDir = dataDir;
    this.env = new LinkedHashMap<>(env);
    this.jvmArgs = List.copyOf(jvmArgs);
    this.logFile = TestPaths.logs().resolve(name + ".log");
    try {
      Files.deleteIfExists(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public Path logFile() {
    return logFile;
  }

  /** Environment of the next start; change it between a stop and a start (e.g. drop a fault). */
  public Map<String, String> env() {
    return env;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
    return process.pid();
  }

  /** Starts the process and waits until its health endpoint says UP. */
  public AppProcess start() {
    return start(Duration.ofSeconds(150));
  }

  public synchronized AppProcess start(Duration healthTimeout) {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    launch();
    awaitHealthy(healthTimeout);
    return this;
  }

  /**
   * Starts several processes at once and waits until all are healthy: start-ups overlap, which
   * saves most of one Spring Boot start per extra process (an edge does not need central to start).
   */
  public static void startTogether(AppProcess... processes) {
    for (AppProcess p : processes) {
      p.launch();
    }
    for (AppProcess p : processes) {
      p.awaitHealthy(Duration.ofSeconds(150));
    }
  }

  /**
   * The app's own JVM options: {@code jvm.options} beside its module's {@code target/} (one option
   * per line, # comments), or none.
   */
  /** The app's own JVM options (its module's jvm.options), empty when it has none. */
  public List<String> ownJvmOptions() {
    return ownJvmOptions(jar);
  }

  static List<String> ownJvmOptions(Path jar) {
    Path file = jar.toAbsolutePath().getParent().getParent().resolve("jvm.options");
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file).stream()
          .map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts without waiting for health (for a process expected to die, or to start in parallel). */
  public synchronized AppProcess launch() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A terminal runs with its own JVM options (edge-route/jvm.options, as ./outpost edge does);
    // the others with a heap large enough for every test.
    List<String> own = ownJvmOptions(jar);
    if (own.isEmpty()) {
      cmd.add("-Xmx512m");
    } else {
      cmd.addAll(own);
    }
    if (!Boolean.getBoolean("outpost.apps.fullJit")) {
      // Tests start many processes and run them briefly: C1 alone starts faster. The benchmark
      // runs the apps as the launcher does (full JIT).
      cmd.add("-XX:TieredStopAtLevel=1");
    }
    cmd.add("-Djava.io.tmpdir=" + dataDir.resolve("tmp"));
    // Extra JVM options for every app process, e.g. a JFR recording per process ({name}).
    String extra = System.getProperty("outpost.apps.jvmArgs", "").trim();
    if (!extra.isEmpty()) {
      for (String arg : extra.split("\\s+")) {
        cmd.add(arg.replace("{name}", name));
      }
    }
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(jar.toString());
    try {
      Files.createDirectories(dataDir.resolve("tmp"));
      starts++;
      Files.writeString(
          logFile,
          "\n===== start #" + starts + " at " + Instant.now() + " env " + env + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dataDir.toFile());
      // As the launcher does for a till: two malloc arenas, not one per thread.
      pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      process = pb.start();
      LIVE.add(this);
      LOG.info("{}: started pid {} (start #{}), log {}", name, process.pid(), starts, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    return this;
  }

  /**
   * Waits until {@code /actuator/health} answers UP; fails with the log tail if it dies or hangs.
   */
  public void awaitHealthy(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String last = "no answer yet";
    while (Instant.now().isBefore(deadline)) {
      Process p;
      synchronized (this) {
        p = process;
      }
      if (p == null || !p.isAlive()) {
        throw new AssertionError(
            name
                + " died during start-up (exit "
                + (p == null ? "?" : p.exitValue())
                + ")\n"
                + logTail(80));
      }
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                    .timeout(Duration.ofSeconds(3))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200 && r.body().replace(" ", "").contains("\"status\":\"UP\"")) {
          LOG.info("{}: healthy", name);
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      try {
        p.waitFor(250, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    kill9();
    throw new AssertionError(
        name + " not healthy within " + timeout + " (last answer: " + last + ")\n" + logTail(80));
  }

  /** Waits for the process to exit by itself (e.g. after an injected halt). */
  public int awaitExit(Duration timeout) {
    Process p;
    synchronized (this) {
      p = process;
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " still running after " + timeout + "\n" + logTail(40));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    LIVE.remove(this);
    return p.exitValue();
  }

  /**
   * kill -9 of the JVM: no shutdown hook, no flush, no goodbye. Processes the app itself spawned
   * (an embedded PostgreSQL) are left as a real crash would leave them; {@link #close()} reaps
   * them.
   */
  public synchronized void kill9() {
    if (process == null || !process.isAlive()) {
      return;
    }
    LOG.info("{}: kill -9 {}", name, process.pid());
    process.destroyForcibly(); // SIGKILL on Linux (a frozen process dies too)
    frozen = false;
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError(name + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGSTOP: the OS freezes the JVM (every thread, the embedded broker and database with it), as a
   * debugger, a swapping machine or a VM migration would. Its sockets stay open; nothing answers.
   */
  public synchronized void freeze() {
    signal("STOP");
    frozen = true;
  }

  /** SIGCONT: the frozen JVM runs on as if nothing happened (its timers see the gap at once). */
  public synchronized void thaw() {
    signal("CONT");
    frozen = false;
  }

  public synchronized boolean frozen() {
    return frozen;
  }

  private void signal(String name) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(name + ": " + this.name + " is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
              .redirectErrorStream(true)
              .start();
      String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + out);
      }
      LOG.info("{}: SIG{} {}", this.name, name, process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Graceful stop (SIGTERM, Spring's shutdown hooks run); SIGKILL after 45 s. */
  public synchronized void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    if (frozen) {
      thaw(); // a stopped JVM cannot run its shutdown hooks
    }
    LOG.info("{}: SIGTERM {}", name, process.pid());
    process.destroy();
    try {
      if (!process.waitFor(45, TimeUnit.SECONDS)) {
        LOG.warn("{}: did not stop within 45 s after SIGTERM, killing", name);
        kill9();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ProcessHandle> strays = strays();
    if (!strays.isEmpty()) {
      LOG.warn("{}: left processes behind after a graceful stop: {}", name, describe(strays));
    }
  }

  /** Kills the process (if running) and anything still running on its data dir. */
  @Override
  public synchronized void close() {
    kill9();
    reapStrays();
    LIVE.remove(this);
  }

  /**
   * Processes other than this JVM whose command line names this app's data dir (embedded
   * PostgreSQL).
   */
  public List<ProcessHandle> strays() {
    String marker = dataDir.toString();
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(ph -> ph.pid() != self)
        .filter(ph -> process == null || ph.pid() != process.pid())
        .filter(ph -> ph.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  public void reapStrays() {
    for (ProcessHandle ph : strays()) {
      LOG.info(
          "{}: reaping stray process {} {}", name, ph.pid(), ph.info().commandLine().orElse(""));
      ph.descendants().forEach(ProcessHandle::destroyForcibly);
      ph.destroyForcibly();
      ph.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
    }
  }

  private static String describe(List<ProcessHandle> handles) {
    StringBuilder sb = new StringBuilder();
    handles.forEach(
        h -> sb.append(h.pid()).append(' ').append(h.info().commandLine().orElse("")).append("; "));
    return sb.toString();
  }

  public String logTail(int lines) {
    try {
      if (!Files.exists(logFile)) {
        return "(no log)";
      }
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return "----- last "
          + lines
          + " lines of "
          + logFile
          + " -----\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  @Override
  public String toString() {
    return name + "@" + httpPort;
  }
}
