package dev.outpost.central.records;

import dev.outpost.central.ingest.Applied;
import dev.outpost.central.ingest.BatchTotals;
import dev.outpost.central.ingest.Projection;
import dev.outpost.central.ingest.Rejected;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.RecordPayload;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** record.upserted and record.deleted: both resolved by {@link EntityRecordStore}. */
@Configuration(proxyBeanMethods = false)
public class RecordProjections {

  @Bean
  Projection recordUpserted(EntityRecordStore records) {
    return projection(OperationTypes.RECORD_UPSERTED, records, false);
  }

  @Bean
  Projection recordDeleted(EntityRecordStore records) {
    return projection(OperationTypes.RECORD_DELETED, records, true);
  }

  private static Projection projection(String type, EntityRecordStore records, boolean delete) {
    return new Projection() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public Applied apply(OperationEnvelope op, BatchTotals totals) throws Rejected {
        return records.apply(op, op.payloadAs(RecordPayload.class), delete);
      }
    };
  }
}
