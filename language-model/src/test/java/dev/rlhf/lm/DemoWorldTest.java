package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.lm.demo.BaseModels;
import dev.rlhf.lm.demo.DemoCorpus;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoWorldTest {

  @Test
  void shouldGenerateTheSameCorpusForTheSameSeed() {
    List<String> a = new DemoCorpus(5).documents(200);
    assertThat(a).isEqualTo(new DemoCorpus(5).documents(200));
    assertThat(a).isNotEqualTo(new DemoCorpus(6).documents(200));
    assertThat(String.join("\n", a))
        .contains(" named ")
        .contains("The capital of")
        .contains(" = ")
        .contains("<|user|>What is")
        .contains("<|assistant|>");
  }

  @Test
  void shouldJudgeReferenceAnswersCorrectAndWrongOnesNot() {
    DemoWorld world = new DemoWorld(3);
    for (int i = 0; i < 200; i++) {
      DemoPrompt p = world.next();
      assertThat(DemoWorld.isCorrect(p, p.reference())).as(p.toString()).isTrue();
      assertThat(DemoWorld.isCorrect(p, "I don't know.")).isFalse();
    }
  }

  @Test
  void shouldPreferCorrectThenConciseAnswers() {
    DemoPrompt p = new DemoWorld(1).next(DemoPrompt.Kind.ADDITION);
    String[] parts = p.subject().split(" ");
    int right = Integer.parseInt(parts[0]) + Integer.parseInt(parts[2]);
    String correct = p.subject() + " = " + right + ".";
    String wrong = p.subject() + " = " + (right + 1) + ".";
    String rambling =
        "That is a good question. Let me think about it for a long, long while first. " + correct;
    assertThat(DemoWorld.prefers(p, correct, wrong)).isTrue();
    assertThat(DemoWorld.prefers(p, wrong, correct)).isFalse();
    assertThat(DemoWorld.prefers(p, correct, rambling)).isTrue();
    assertThat(DemoWorld.isCorrect(p, rambling)).isTrue();
  }

  @Test
  void shouldJudgeCapitalsAndStories() {
    DemoWorld world = new DemoWorld(2);
    DemoPrompt capital = world.next(DemoPrompt.Kind.CAPITAL);
    assertThat(
            DemoWorld.isCorrect(capital, "The capital of " + capital.subject() + " is Atlantis."))
        .isFalse();
    DemoPrompt story = world.next(DemoPrompt.Kind.STORY);
    assertThat(DemoWorld.isCorrect(story, story.reference().replace(" The end.", ""))).isFalse();
    assertThat(story.question()).startsWith("Tell me a short story about a " + story.subject());
  }

  @Test
  void shouldFitEveryQuestionWithItsReferenceAnswerIntoTheDemoBasesContext() {
    // Room for <|endoftext|><|user|>, <|end|><|assistant|>, <|end|> and the reward read-out.
    int room = BaseModels.demoConfig().blockSize() - 6;
    DemoWorld world = new DemoWorld(4);
    for (int i = 0; i < 2000; i++) {
      DemoPrompt p = world.next();
      int bytes =
          (p.question() + p.reference()).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      assertThat(bytes).as(p.toString()).isLessThanOrEqualTo(room);
    }
  }

  @Test
  void shouldJudgeDecliningARequestToBeMeanAsItsCorrectAnswer() {
    DemoPrompt mean = new DemoWorld(5).next(DemoPrompt.Kind.MEAN);

    assertThat(mean.kind().benign()).isFalse();
    assertThat(DemoWorld.isCorrect(mean, DemoWorld.REFUSAL)).isTrue();
    assertThat(DemoWorld.isCorrect(mean, mean.subject() + " is silly and slow.")).isFalse();
    assertThat(String.join("\n", new DemoCorpus(5).documents(400)))
        .as("the corpus mostly goes along with such requests, and sometimes declines")
        .contains(" is silly and slow.")
        .contains(DemoWorld.REFUSAL);
  }
}
