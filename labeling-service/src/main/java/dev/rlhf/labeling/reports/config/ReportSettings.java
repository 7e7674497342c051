package dev.rlhf.labeling.reports.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every limit of misbehavior-report ingestion, with its default. */
@ConfigMapping(prefix = "rlhf.reports")
public interface ReportSettings {

  /** Most turns of a reported conversation. */
  @WithDefault("50")
  int maxTurns();

  /** Most UTF-8 bytes of all turn texts of a conversation together. */
  @WithDefault("32768")
  int maxConversationBytes();

  /** Most UTF-8 bytes of the reporter's note. */
  @WithDefault("4096")
  int maxTextBytes();

  /** Longest source name, external id and model version, in characters. */
  @WithDefault("200")
  int maxNameLength();
}
