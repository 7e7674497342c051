package dev.rlhf.labeling.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The first administrator, created on first start when no admin exists yet. */
@ConfigMapping(prefix = "rlhf.admin")
public interface AdminSettings {

  /** Public, so only for a start on the machine itself: see {@code security.ExposureCheck}. */
  String DEFAULT_PASSWORD = "admin";

  @WithDefault("admin")
  String username();

  @WithDefault(DEFAULT_PASSWORD)
  String password();
}
