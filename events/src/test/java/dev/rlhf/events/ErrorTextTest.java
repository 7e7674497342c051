package dev.rlhf.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.contract.ChatTurn;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorTextTest {

  record Body(List<ChatTurn> conversation, Integer severity, UUID id, ChatTurn.Role role) {}

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static JsonProcessingException refusal(String json) {
    return catchThrowableOfType(
        JsonProcessingException.class, () -> STRICT.readValue(json, Body.class));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"conversation\":[{\"role\":\"ROBOT\",\"text\":\"x\"}]}",
        "{\"conversation\":[{\"role\":\"USER\"}]}",
        "{\"conversation\":\"text\"}",
        "{\"severity\":\"high\"}",
        "{\"severity\":{}}",
        "{\"id\":\"not-a-uuid\"}",
        "{\"role\":[1]}",
        "{\"unknown\":1}",
        "{\"conversation\":[",
        "[1,2]",
      })
  void shouldNameNoJavaTypeForAnyBodyItCannotRead(String json) {
    JsonProcessingException e = refusal(json);

    assertThat(e.getOriginalMessage()).as("Jackson's own text").isNotBlank();
    assertThat(ErrorText.describe(e))
        .isNotBlank()
        .doesNotContain("dev.rlhf", "java.", "$", "`", "class ");
  }

  @Test
  void shouldSayWhatWasExpectedWhereTheValueIsWrong() {
    JsonProcessingException e = refusal("{\"severity\":\"high\"}");

    assertThat(ErrorText.field(e)).isEqualTo("severity");
    assertThat(ErrorText.describe(e)).isEqualTo("'high' is not a number");
    assertThat(ErrorText.field(refusal("{\"conversation\":[{\"role\":\"ROBOT\",\"text\":\"x\"}]}")))
        .isEqualTo("conversation[0].role");
  }

  @Test
  void shouldScrubJavaNamesFromAnyMessage() {
    assertThat(
            ErrorText.scrub(
                "Cannot deserialize value of type `dev.rlhf.events.contract.ChatTurn$Role` from"
                    + " java.lang.String; see ChatTurn$Role"))
        .doesNotContain("dev.rlhf", "java.lang", "ChatTurn$Role")
        .contains("from");
  }
}
