package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The runtime sampled the completions a {@link CompletionsRequested} asked for. */
public record CompletionsGenerated(
    UUID eventId,
    Instant occurredAt,
    UUID requestId,
    UUID promptId,
    String policyVersion,
    SamplingSettings sampling,
    List<GeneratedCompletion> completions,
    String purpose)
    implements PlatformEvent {

  /**
   * One sampled text; {@code finishReason} is "stop" or "length". {@code temperature} is the
   * temperature it was drawn at where that differs from the request's (a hotter draw for
   * diversity), otherwise null.
   */
  public record GeneratedCompletion(
      String text, int tokens, String finishReason, Double temperature) {
    public GeneratedCompletion {
      Require.present(text, "text");
      if (temperature != null && !(temperature >= 0)) {
        throw new IllegalArgumentException("temperature must be >= 0");
      }
    }

    public GeneratedCompletion(String text, int tokens, String finishReason) {
      this(text, tokens, finishReason, null);
    }
  }

  public CompletionsGenerated {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(requestId, "requestId");
    Require.text(policyVersion, "policyVersion");
    completions = List.copyOf(Require.nonEmpty(completions, "completions"));
  }

  @Override
  public Topic topic() {
    return Topic.COMPLETIONS;
  }

  @Override
  public String key() {
    return requestId.toString();
  }
}
