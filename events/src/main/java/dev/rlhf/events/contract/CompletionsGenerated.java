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

  /** One sampled text; {@code finishReason} is "stop" or "length". */
  public record GeneratedCompletion(String text, int tokens, String finishReason) {
    public GeneratedCompletion {
      Require.present(text, "text");
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
