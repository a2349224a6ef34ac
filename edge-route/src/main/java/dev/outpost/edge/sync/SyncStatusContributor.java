package dev.outpost.edge.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.support.FeaturePort;
import java.time.Instant;

/**
 * A feature's part of {@code GET /api/v1/sync/status}: a bean implementing this adds its fields to
 * the status document and its alerts (e.g. ingest's disk: diskFreeBytes, DISK_LOW; master data: the
 * masterData block, MASTERDATA_STALE). Called in {@code @Order} order on every request.
 */
@FeaturePort
public interface SyncStatusContributor {
  void contribute(ObjectNode status, ArrayNode alerts, Instant now);
}
