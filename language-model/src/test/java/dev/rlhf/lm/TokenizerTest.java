package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.Gpt2Tokenizer;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

class TokenizerTest {

  @Test
  void shouldRoundTripUnicodeThroughBytes() {
    Tokenizer t = new ByteTokenizer();
    String text = "Grüße, 世界! 12 + 7 = 19.";
    assertThat(t.decode(t.encodeOrdinary(text))).isEqualTo(text);
    assertThat(t.encodeOrdinary("A")).containsExactly(65);
    assertThat(t.vocabSize()).isEqualTo(262);
  }

  @Test
  void shouldGiveByteSpecialTokensIdsAfterTheBytes() {
    Tokenizer t = new ByteTokenizer();
    assertThat(t.specialId(SpecialToken.END_OF_TEXT)).isEqualTo(256);
    assertThat(t.specialId(SpecialToken.REWARD)).isEqualTo(261);
    assertThat(t.special(259)).isEqualTo(SpecialToken.ASSISTANT);
    assertThat(t.special(65)).isNull();
  }

  @Test
  void shouldEncodeGpt2TextWithGpt2Ids() {
    Tokenizer t = new Gpt2Tokenizer();
    // Known r50k ids: "Hello" = 15496, " world" = 995.
    assertThat(t.encodeOrdinary("Hello world")).containsExactly(15496, 995);
    assertThat(t.decode(new int[] {15496, 995})).isEqualTo("Hello world");
  }

  @Test
  void shouldPlaceGpt2SpecialTokensAtTheEndOfItsVocabulary() {
    Tokenizer t = new Gpt2Tokenizer();
    assertThat(t.specialId(SpecialToken.END_OF_TEXT)).isEqualTo(50256);
    assertThat(t.specialId(SpecialToken.SYSTEM)).isEqualTo(50257);
    assertThat(t.specialId(SpecialToken.REWARD)).isEqualTo(50261);
    assertThat(t.vocabSize()).isEqualTo(50262);
    assertThat(t.decode(new int[] {50258, 15496, 50260})).isEqualTo("<|user|>Hello<|end|>");
  }

  @Test
  void shouldHonourSpecialLiteralsOnlyWhenAsked() {
    for (Tokenizer t : new Tokenizer[] {new ByteTokenizer(), new Gpt2Tokenizer()}) {
      String text = "a<|user|>b<|endoftext|>";
      int[] withSpecials = t.encodeWithSpecials(text);
      assertThat(withSpecials).contains(t.specialId(SpecialToken.USER));
      assertThat(withSpecials[withSpecials.length - 1])
          .isEqualTo(t.specialId(SpecialToken.END_OF_TEXT));
      assertThat(t.encodeOrdinary(text)).doesNotContain(t.specialId(SpecialToken.USER));
      assertThat(t.decode(withSpecials)).isEqualTo(text);
    }
  }

  @Test
  void shouldFindTokenizersByCheckpointName() {
    assertThat(Tokenizer.byName("byte")).isInstanceOf(ByteTokenizer.class);
    assertThat(Tokenizer.byName("gpt2")).isInstanceOf(Gpt2Tokenizer.class);
  }
}
