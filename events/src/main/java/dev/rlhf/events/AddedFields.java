package dev.rlhf.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.events.contract.AddedLater;
import dev.rlhf.events.contract.PlatformEvent;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fields each event type gained after it was first published ({@link AddedLater}). The codec
 * refuses an event that lacks a field, so that a producer cannot silently drop one; an event
 * written before a field existed gets it as an explicit null instead, which the record turns into
 * its default.
 */
final class AddedFields {

  private static final Map<String, List<String>> BY_TYPE =
      Arrays.stream(PlatformEvent.class.getAnnotation(JsonSubTypes.class).value())
          .collect(
              Collectors.toMap(JsonSubTypes.Type::name, t -> addedLater(t.value()), (a, b) -> a));

  private AddedFields() {}

  /** Gives the event's missing later-added fields an explicit null. */
  static void fillMissing(ObjectNode event) {
    List<String> added = BY_TYPE.getOrDefault(event.path("type").asText(), List.of());
    for (String field : added) {
      if (!event.has(field)) event.putNull(field);
    }
  }

  private static List<String> addedLater(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    if (components == null) return List.of();
    return Arrays.stream(components)
        .filter(c -> c.isAnnotationPresent(AddedLater.class))
        .map(RecordComponent::getName)
        .collect(Collectors.toUnmodifiableList());
  }
}
