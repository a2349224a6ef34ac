package dev.outpost.central.masterdata;

/** A refused admin or sync request, answered as problem+json with this status. */
class MasterDataException extends RuntimeException {
  final int status;

  MasterDataException(int status, String detail) {
    super(detail);
    this.status = status;
  }
}
