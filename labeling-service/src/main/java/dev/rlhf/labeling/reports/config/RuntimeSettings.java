package dev.rlhf.labeling.reports.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Where the model runtime's OpenAI-compatible API is, for the chat page. */
@ConfigMapping(prefix = "rlhf.runtime")
public interface RuntimeSettings {

  /** Base URL of model-runtime; the chat proxy posts to {@code <url>/v1/chat/completions}. */
  @WithDefault("${MODEL_RUNTIME_URL:http://127.0.0.1:8081}")
  String url();

  /** The model name sent to the runtime; "default" is its promoted policy version. */
  @WithDefault("default")
  String chatModel();

  /** Longest answer asked for, in tokens; the runtime refuses more than the model's context. */
  @WithDefault("96")
  int chatMaxTokens();

  /** How long to wait for an answer: CPU generation of a few hundred tokens takes seconds. */
  @WithDefault("60s")
  Duration chatTimeout();

  /** The runtime's service key ({@code RUNTIME_SERVICE_KEY}), this service's bearer token. */
  Optional<String> serviceKey();
}
