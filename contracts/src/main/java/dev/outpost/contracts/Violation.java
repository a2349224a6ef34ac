package dev.outpost.contracts;

/** One thing wrong with a document: where (JSON pointer, "" for the root) and what. */
public record Violation(String pointer, String message) {
  @Override
  public String toString() {
    return (pointer.isEmpty() ? "/" : pointer) + ": " + message;
  }
}
