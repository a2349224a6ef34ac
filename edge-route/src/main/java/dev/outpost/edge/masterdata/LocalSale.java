package dev.outpost.edge.masterdata;

import java.math.BigDecimal;

/** A sale this terminal recorded against a bracelet or member. */
public record LocalSale(String operationId, BigDecimal total) {}
