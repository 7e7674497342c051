package dev.rlhf.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rlhf.events.contract.PlatformEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Events as JSON on the wire: the one place that knows how they are written and read. */
public final class EventCodec {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          // Newer producers may add fields; older consumers keep working.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .build();

  private EventCodec() {}

  public static String toJson(PlatformEvent event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event cannot be written as JSON: " + event, e);
    }
  }

  public static byte[] encode(PlatformEvent event) {
    return toJson(event).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads and validates an event.
   *
   * @throws MalformedEventException naming what is wrong, when the bytes are no valid event
   */
  public static PlatformEvent decode(byte[] json) {
    if (json == null) throw new MalformedEventException("empty record");
    try {
      JsonNode tree = MAPPER.readTree(json);
      if (!(tree instanceof ObjectNode event)) {
        throw new MalformedEventException("an event is a JSON object");
      }
      AddedFields.fillMissing(event);
      return MAPPER.treeToValue(event, PlatformEvent.class);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      // A constructor may fail without a message (a null list element): Jackson's names the type.
      String reason = cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
      throw new MalformedEventException(reason, e);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException(e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new MalformedEventException(e.getMessage(), e);
    }
  }

  public static PlatformEvent fromJson(String json) {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The shared mapper, configured for events, for services that embed event parts in JSON. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
