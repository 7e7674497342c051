package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One slice of a training command's snapshot, for snapshots too large for one Kafka record (the
 * broker's and the producer's default limit is 1 MB, about 25,000 label ids). The parts of a run
 * are published on the commands topic with the run as key, before the command, so they reach the
 * trainer that takes the command, in order; see {@link TrainingRunRequested#snapshotParts()}.
 *
 * @param stage the command's stage, so that a trainer keeps only the parts of the runs it trains
 * @param part this part's index, from 0
 * @param parts how many parts the snapshot has
 * @param labelEventIds this part's slice of the command's label event ids
 * @param weightedPairs this part's slice of the command's weighted pairs
 */
public record TrainingSnapshotPart(
    UUID eventId,
    Instant occurredAt,
    UUID runId,
    TrainingStage stage,
    int part,
    int parts,
    List<UUID> labelEventIds,
    List<WeightedPair> weightedPairs)
    implements PlatformEvent {

  /**
   * The most label ids one record carries: a JSON id takes 39 bytes, so 10,000 take 390 KB, well
   * inside the 1 MB a record may have beside the other fields and the pairs.
   */
  public static final int MAX_IDS = 10_000;

  /**
   * The most weighted pairs one record carries: up to 180 bytes each in JSON, so with a full slice
   * of ids a record stays under 800 KB.
   */
  public static final int MAX_PAIRS = 2_000;

  public TrainingSnapshotPart {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(runId, "runId");
    Require.present(stage, "stage");
    if (parts < 1 || part < 0 || part >= parts) {
      throw new IllegalArgumentException(
          "part must be in [0, parts), not " + part + " of " + parts);
    }
    labelEventIds = labelEventIds == null ? List.of() : List.copyOf(labelEventIds);
    weightedPairs = weightedPairs == null ? List.of() : List.copyOf(weightedPairs);
    if (labelEventIds.size() > MAX_IDS || weightedPairs.size() > MAX_PAIRS) {
      throw new IllegalArgumentException(
          "a part carries at most " + MAX_IDS + " label ids and " + MAX_PAIRS + " pairs");
    }
  }

  /**
   * The records that carry a command: the command alone when its snapshot fits one record,
   * otherwise its parts followed by the command without its snapshot. Publish them in this order,
   * with their own keys (all the run's).
   */
  public static List<PlatformEvent> split(TrainingRunRequested command) {
    return split(command, MAX_IDS, MAX_PAIRS);
  }

  /**
   * {@link #split(TrainingRunRequested)} with smaller parts (at most {@link #MAX_IDS} and {@link
   * #MAX_PAIRS}), for a broker whose records must be smaller than the default's.
   */
  public static List<PlatformEvent> split(TrainingRunRequested command, int maxIds, int maxPairs) {
    if (maxIds < 1 || maxIds > MAX_IDS || maxPairs < 1 || maxPairs > MAX_PAIRS) {
      throw new IllegalArgumentException("parts hold 1 to " + MAX_IDS + " ids, 1 to " + MAX_PAIRS);
    }
    List<UUID> ids = command.labelEventIds();
    List<WeightedPair> pairs = command.weightedPairs();
    if (command.snapshotParts() > 0 || (ids.size() <= maxIds && pairs.size() <= maxPairs)) {
      return List.of(command);
    }
    int parts =
        Math.max((ids.size() + maxIds - 1) / maxIds, (pairs.size() + maxPairs - 1) / maxPairs);
    List<PlatformEvent> records = new ArrayList<>(parts + 1);
    for (int i = 0; i < parts; i++) {
      records.add(
          new TrainingSnapshotPart(
              UUID.randomUUID(),
              command.occurredAt(),
              command.runId(),
              command.stage(),
              i,
              parts,
              slice(ids, i, maxIds),
              slice(pairs, i, maxPairs)));
    }
    records.add(command.with(List.of(), List.of(), parts));
    return records;
  }

  /**
   * The command with its snapshot put back together from its parts (of any runs; duplicates of a
   * part are fine), or empty while one of them is missing. A command whose snapshot is in it comes
   * back as it is.
   */
  public static Optional<TrainingRunRequested> assemble(
      TrainingRunRequested command, Collection<TrainingSnapshotPart> received) {
    if (command.snapshotParts() == 0) return Optional.of(command);
    Map<Integer, TrainingSnapshotPart> byIndex = new TreeMap<>();
    for (TrainingSnapshotPart p : received) {
      if (p.runId().equals(command.runId()) && p.parts() == command.snapshotParts()) {
        byIndex.putIfAbsent(p.part(), p);
      }
    }
    if (byIndex.size() < command.snapshotParts()) return Optional.empty();
    List<UUID> ids = new ArrayList<>();
    List<WeightedPair> pairs = new ArrayList<>();
    for (TrainingSnapshotPart p : byIndex.values()) {
      ids.addAll(p.labelEventIds());
      pairs.addAll(p.weightedPairs());
    }
    return Optional.of(command.withSnapshot(ids, pairs));
  }

  private static <T> List<T> slice(List<T> all, int part, int size) {
    int from = Math.min(all.size(), part * size);
    return all.subList(from, Math.min(all.size(), from + size));
  }

  @Override
  public Topic topic() {
    return Topic.TRAINING_COMMANDS;
  }

  @Override
  public String key() {
    return runId.toString();
  }
}
