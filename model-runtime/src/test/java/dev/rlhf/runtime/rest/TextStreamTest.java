package dev.rlhf.runtime.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.SpecialToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextStreamTest {

  private final ByteTokenizer bytes = new ByteTokenizer();

  @Test
  void shouldHoldBackAMultiByteCharacterUntilItsLastByte() {
    TextStream stream = new TextStream(bytes, List.of());
    List<String> pieces = feed(stream, "né€");

    // "n", then nothing for é's first byte, "é", nothing, nothing, "€"
    assertThat(pieces).containsExactly("n", "", "é", "", "", "€");
  }

  @Test
  void shouldNeverSendTheStartOfAStopSequenceThatThenCompletes() {
    TextStream stream = new TextStream(bytes, List.of("END"));
    List<String> pieces = feed(stream, "abENDxyz");

    assertThat(pieces).containsExactly("a", "b", "", "", "", "", "", "");
    assertThat(String.join("", pieces)).isEqualTo("ab");
  }

  @Test
  void shouldReleaseHeldTextWhenItTurnsOutNotToBeAStopSequence() {
    TextStream stream = new TextStream(bytes, List.of("END"));
    List<String> pieces = feed(stream, "aENx");

    assertThat(pieces).containsExactly("a", "", "", "ENx");
  }

  @Test
  void shouldSendWhatIsLeftOfTheFinalTextAtTheEnd() {
    TextStream stream = new TextStream(bytes, List.of("END"));
    List<String> pieces = feed(stream, "aEN");

    assertThat(String.join("", pieces)).isEqualTo("a");
    assertThat(stream.rest("aEN")).isEqualTo("EN");
    assertThat(stream.rest("aEN")).isEmpty();
  }

  @Test
  void shouldSkipSpecialTokens() {
    TextStream stream = new TextStream(bytes, List.of());
    feed(stream, "hi");

    assertThat(stream.next(bytes.specialId(SpecialToken.END_OF_TURN))).isEmpty();
    assertThat(stream.rest("hi")).isEmpty();
  }

  private List<String> feed(TextStream stream, String text) {
    List<String> pieces = new ArrayList<>();
    for (int id : bytes.encodeOrdinary(text)) {
      pieces.add(stream.next(id));
    }
    assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(pieces.size());
    return pieces;
  }
}
