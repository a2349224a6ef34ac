package dev.outpost.system.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every operation the load drivers made and every attempt to record it with its answer, for the
 * checker; also written line by line to a JSON-lines file for a person reading a failure.
 */
public final class AttemptLog implements AutoCloseable {
  private final Map<String, Op> ops = new ConcurrentHashMap<>();
  private final Map<String, List<Attempt>> attempts = new ConcurrentHashMap<>();
  private final AtomicInteger unidentifiedDeadLetters = new AtomicInteger();
  private final BufferedWriter out;

  public AttemptLog(Path file) {
    try {
      Files.createDirectories(file.getParent());
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An operation about to be posted (before its first attempt). */
  public void intend(Op op) {
    if (ops.putIfAbsent(op.operationId(), op) != null) {
      throw new IllegalStateException("operation made twice: " + op.operationId());
    }
    attempts.put(op.operationId(), java.util.Collections.synchronizedList(new ArrayList<>()));
  }

  /**
   * A message the test put straight on central's broker that must end in the DLQ and carries no
   * readable operationId (e.g. not JSON).
   */
  public void expectUnidentifiedDeadLetter() {
    unidentifiedDeadLetters.incrementAndGet();
  }

  public int expectedUnidentifiedDeadLetters() {
    return unidentifiedDeadLetters.get();
  }

  public void record(Attempt a) {
    List<Attempt> list = attempts.get(a.operationId());
    if (list == null) {
      throw new IllegalStateException("attempt for an operation never made: " + a.operationId());
    }
    list.add(a);
    ObjectNode line = Contracts.mapper().createObjectNode();
    line.put("operationId", a.operationId());
    line.put("terminalId", a.terminalId());
    Op op = ops.get(a.operationId());
    line.put("type", op.type());
    line.put("lane", op.lane());
    line.put("payloadHash", op.payloadHash());
    line.put("startedAt", a.startedAt().toString());
    line.put("millis", a.millis());
    line.put("outcome", a.outcome().name());
    line.put("status", a.status());
    if (a.sequence() != null) {
      line.put("sequence", a.sequence());
    }
    if (a.detail() != null) {
      line.put("detail", a.detail());
    }
    synchronized (out) {
      try {
        out.write(Op.json(line));
        out.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public Op op(String operationId) {
    return ops.get(operationId);
  }

  public Collection<Op> ops() {
    return List.copyOf(ops.values());
  }

  public List<Attempt> attempts(String operationId) {
    List<Attempt> l = attempts.get(operationId);
    if (l == null) {
      return List.of();
    }
    synchronized (l) {
      return List.copyOf(l);
    }
  }

  /** Attempts of one terminal by outcome (for the report and for "the fault really hit" checks). */
  public Map<Attempt.Outcome, Integer> outcomes(String terminalId) {
    Map<Attempt.Outcome, Integer> m = new LinkedHashMap<>();
    for (Attempt.Outcome o : Attempt.Outcome.values()) {
      m.put(o, 0);
    }
    for (Op op : ops.values()) {
      if (op.terminalId().equals(terminalId)) {
        for (Attempt a : attempts(op.operationId())) {
          m.merge(a.outcome(), 1, Integer::sum);
        }
      }
    }
    return m;
  }

  /** Final refusals (a 4xx but 408 and 429: the till gives up on the operation) so far. */
  public long finalRefusals(String terminalId) {
    long n = 0;
    for (Op op : ops.values()) {
      if (op.terminalId().equals(terminalId)) {
        for (Attempt a : attempts(op.operationId())) {
          if (a.outcome() == Attempt.Outcome.REFUSED
              && a.status() >= 400
              && a.status() < 500
              && a.status() != 408
              && a.status() != 429) {
            n++;
          }
        }
      }
    }
    return n;
  }

  public long count(String terminalId, Attempt.Outcome outcome, int status) {
    long n = 0;
    for (Op op : ops.values()) {
      if (op.terminalId().equals(terminalId)) {
        for (Attempt a : attempts(op.operationId())) {
          if (a.outcome() == outcome && (status < 0 || a.status() == status)) {
            n++;
          }
        }
      }
    }
    return n;
  }

  public void flush() {
    synchronized (out) {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    synchronized (out) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
