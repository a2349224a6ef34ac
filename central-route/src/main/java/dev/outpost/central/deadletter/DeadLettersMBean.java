package dev.outpost.central.deadletter;

/**
 * JMX view of the dead letters ({@code dev.outpost:type=DeadLetters}), shown by Hawtio. Answers are
 * JSON text so any JMX console can display them.
 */
public interface DeadLettersMBean {
  long getDepth();

  String list(String reason, String terminal, int offset, int limit);

  String show(String id);

  String replay(String id);

  String replayReason(String reason);

  String discard(String id, String why);
}
