package dev.rlhf.events.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.UUID;

/**
 * Every event the platform exchanges over Kafka: a past-tense fact with an id (consumers
 * deduplicate by it), a type (the JSON {@code type} field), a schema version and the time it
 * happened. This interface is the only definition of the contracts; services share it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = DemonstrationSubmitted.class, name = "DemonstrationSubmitted"),
  @JsonSubTypes.Type(value = RankingSubmitted.class, name = "RankingSubmitted"),
  @JsonSubTypes.Type(value = CompletionsRequested.class, name = "CompletionsRequested"),
  @JsonSubTypes.Type(value = CompletionsGenerated.class, name = "CompletionsGenerated"),
  @JsonSubTypes.Type(value = TrainingRunRequested.class, name = "TrainingRunRequested"),
  @JsonSubTypes.Type(value = TrainingRunCancelled.class, name = "TrainingRunCancelled"),
  @JsonSubTypes.Type(value = TrainingSnapshotPart.class, name = "TrainingSnapshotPart"),
  @JsonSubTypes.Type(value = TrainingProgressReported.class, name = "TrainingProgressReported"),
  @JsonSubTypes.Type(value = TrainingRunFailed.class, name = "TrainingRunFailed"),
  @JsonSubTypes.Type(value = ModelVersionPublished.class, name = "ModelVersionPublished"),
  @JsonSubTypes.Type(value = PolicyVersionPromoted.class, name = "PolicyVersionPromoted"),
  @JsonSubTypes.Type(value = MisbehaviorReported.class, name = "MisbehaviorReported"),
  @JsonSubTypes.Type(value = WorkerHeartbeatReported.class, name = "WorkerHeartbeatReported"),
  @JsonSubTypes.Type(value = RuntimeKeyIssued.class, name = "RuntimeKeyIssued"),
  @JsonSubTypes.Type(value = RuntimeKeyRevoked.class, name = "RuntimeKeyRevoked")
})
@JsonIgnoreProperties(
    value = {"schemaVersion", "topic", "key"},
    allowGetters = true)
public sealed interface PlatformEvent
    permits DemonstrationSubmitted,
        RankingSubmitted,
        CompletionsRequested,
        CompletionsGenerated,
        TrainingRunRequested,
        TrainingRunCancelled,
        TrainingSnapshotPart,
        TrainingProgressReported,
        TrainingRunFailed,
        ModelVersionPublished,
        PolicyVersionPromoted,
        MisbehaviorReported,
        WorkerHeartbeatReported,
        RuntimeKeyIssued,
        RuntimeKeyRevoked {

  UUID eventId();

  Instant occurredAt();

  /** Bumped when a field changes meaning or a required field is added. */
  @JsonProperty("schemaVersion")
  default int schemaVersion() {
    return 1;
  }

  /** The topic this event belongs on. */
  @JsonProperty("topic")
  Topic topic();

  /**
   * The record key: events with one key stay in order (one partition), e.g. all progress of one
   * training run.
   */
  @JsonProperty("key")
  String key();
}
