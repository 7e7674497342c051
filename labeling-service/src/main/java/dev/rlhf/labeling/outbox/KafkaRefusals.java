package dev.rlhf.labeling.outbox;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The broker's answers that condemn one record, never the broker or the link to it: sending that
 * record again can only fail again. Anything else (an outage, a timeout, an authorisation the
 * operator can fix) pauses the relay instead, so one misconfiguration does not park every row.
 */
final class KafkaRefusals {

  private KafkaRefusals() {}

  static boolean isForGood(Throwable failure) {
    return failure instanceof RecordTooLargeException
        || failure instanceof RecordBatchTooLargeException
        || failure instanceof InvalidRecordException
        || failure instanceof InvalidTopicException
        || failure instanceof SerializationException;
  }
}
