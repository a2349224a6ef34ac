package dev.outpost.edge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.edge.http.ProblemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real file system this test runs on: thresholds above and below its free space. */
class DiskGuardTest {
  @TempDir Path dir;

  @Test
  void refusesWith507AndWarnsWhenFreeSpaceIsBelowTheLimits() {
    DiskGuard full = new DiskGuard(dir, Long.MAX_VALUE, Long.MAX_VALUE);
    assertThat(full.low()).isTrue();
    assertThatThrownBy(full::requireSpace)
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("not recorded");
  }

  @Test
  void letsOperationsThroughWhileThereIsRoom() {
    DiskGuard roomy = new DiskGuard(dir, 1, 1);
    assertThat(roomy.freeBytes()).isPositive();
    assertThat(roomy.low()).isFalse();
    roomy.requireSpace();
  }
}
