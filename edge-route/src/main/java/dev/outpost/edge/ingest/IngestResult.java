package dev.outpost.edge.ingest;

import dev.outpost.edge.ledger.LedgerEntry;

/** The ledger row answering a post, and whether this post created it. */
public record IngestResult(LedgerEntry entry, boolean created) {}
