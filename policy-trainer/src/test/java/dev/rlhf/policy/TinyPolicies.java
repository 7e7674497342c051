package dev.rlhf.policy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.checkpoint.SafeTensors;
import dev.rlhf.lm.checkpoint.Tensor;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Tiny networks and demonstration sets that keep the tests at seconds on two CPU cores. */
public final class TinyPolicies {

  private TinyPolicies() {}

  /** 2 layers, 64 wide, byte tokens, a context of 96. */
  public static GptConfig config() {
    return new GptConfig(2, 2, 64, 96, new ByteTokenizer().vocabSize(), 0f, true, true);
  }

  /** Saves a freshly initialised network as a checkpoint of {@code kind} named {@code version}. */
  public static Path saveFresh(Path dir, String version, CheckpointKind kind, long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    try (LanguageModel network =
        LanguageModel.create(config(), new ByteTokenizer(), Device.cpu())) {
      Path out = dir.resolve(version);
      Checkpoints.save(
          out,
          network,
          CheckpointMetadata.now(
              network.config(),
              network.tokenizer().name(),
              kind,
              version,
              null,
              Map.of(),
              Map.of(),
              0));
      return out;
    }
  }

  /** Demonstrations of short demo-world questions whose every answer starts with {@code phrase}. */
  public static List<DemonstrationSubmitted> demonstrations(int count, String phrase, long seed) {
    DemoWorld world = new DemoWorld(seed);
    DemoPrompt.Kind[] kinds = {
      DemoPrompt.Kind.ADDITION, DemoPrompt.Kind.CAPITAL, DemoPrompt.Kind.ANIMAL_SOUND
    };
    List<DemonstrationSubmitted> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DemoPrompt p = world.next(kinds[i % kinds.length]);
      out.add(demonstration(p.question(), phrase + p.reference()));
    }
    return out;
  }

  /** The largest difference between the weights of two checkpoints of one shape. */
  public static float maxWeightDifference(Path a, Path b) throws IOException {
    Map<String, Tensor> x = SafeTensors.read(a.resolve(Checkpoints.WEIGHTS_FILE));
    Map<String, Tensor> y = SafeTensors.read(b.resolve(Checkpoints.WEIGHTS_FILE));
    if (!x.keySet().equals(y.keySet())) {
      throw new IllegalArgumentException(a + " and " + b + " hold different parameters");
    }
    float max = 0;
    for (String name : x.keySet()) {
      float[] p = x.get(name).data();
      float[] q = y.get(name).data();
      for (int i = 0; i < p.length; i++) {
        max = Math.max(max, Math.abs(p[i] - q[i]));
      }
    }
    return max;
  }

  public static DemonstrationSubmitted demonstration(String question, String response) {
    return new DemonstrationSubmitted(
        UUID.randomUUID(),
        Instant.now(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        List.of(new ChatTurn(ChatTurn.Role.USER, question)),
        response,
        null,
        1,
        "contractor-1");
  }
}
