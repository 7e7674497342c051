package dev.rlhf.labeling.review;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Review defaults; a project's own rate (project_review_settings) wins over them. */
@ConfigMapping(prefix = "rlhf.review")
public interface ReviewSettings {

  /** Share of a project's labels sampled for review when the project sets none (0..1). */
  @WithDefault("0.1")
  double defaultRate();

  /** Most labels one queue request answers. */
  @WithDefault("200")
  int maxQueueSize();
}
