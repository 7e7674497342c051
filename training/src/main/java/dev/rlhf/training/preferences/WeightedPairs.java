package dev.rlhf.training.preferences;

import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.WeightedPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The consensus pairs of a training command as texts: each side's id is looked up among the
 * snapshot's rankings of the pair's prompt (a completion by its id, a written better response by
 * its ranking's id). A pair of two identical texts is dropped, as {@code PreferencePairs} drops it.
 */
public final class WeightedPairs {

  private WeightedPairs() {}

  /**
   * @throws IllegalArgumentException naming the id, when a pair names a text no ranking of the
   *     snapshot holds (the command and the snapshot disagree)
   */
  public static List<PreferencePair> resolve(
      List<RankingSubmitted> rankings, List<WeightedPair> pairs) {
    Map<UUID, Map<UUID, String>> textsByPrompt = new HashMap<>();
    Map<UUID, UUID> sourceByPrompt = new HashMap<>();
    for (RankingSubmitted r : rankings) {
      Map<UUID, String> texts = textsByPrompt.computeIfAbsent(r.promptId(), p -> new HashMap<>());
      sourceByPrompt.putIfAbsent(r.promptId(), r.eventId());
      r.completions().forEach(c -> texts.put(c.completionId(), c.text()));
      if (r.betterResponse() != null && !r.betterResponse().isBlank()) {
        texts.put(r.rankingId(), r.betterResponse());
      }
    }
    List<PreferencePair> out = new ArrayList<>();
    for (WeightedPair p : pairs) {
      Map<UUID, String> texts = textsByPrompt.getOrDefault(p.promptId(), Map.of());
      String chosen = text(texts, p.chosen(), p);
      String rejected = text(texts, p.rejected(), p);
      if (chosen.equals(rejected)) continue;
      out.add(
          new PreferencePair(
              p.promptId(), sourceByPrompt.get(p.promptId()), chosen, rejected, p.weight()));
    }
    return out;
  }

  private static String text(Map<UUID, String> texts, UUID id, WeightedPair pair) {
    String text = texts.get(id);
    if (text == null) {
      throw new IllegalArgumentException(
          "weighted pair of prompt "
              + pair.promptId()
              + " names "
              + id
              + ", which no ranking of the snapshot holds");
    }
    return text;
  }
}
