package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One master-data change sent from central to a terminal ({@code outpost.masterdata.<terminal>}),
 * and one record of a snapshot. {@code version} grows with every change of any master row, so a
 * terminal keeps the record with the highest version (last-version-wins); a redelivered or late
 * change is harmless. {@code deleted} marks a soft or hard delete; {@code data} is the row with
 * camelCase keys (absent for a hard delete).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MasterDataChange(
    String set, String id, long version, boolean deleted, ObjectNode data) {}
