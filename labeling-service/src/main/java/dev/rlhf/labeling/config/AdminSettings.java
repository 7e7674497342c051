package dev.rlhf.labeling.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The first administrator, created on first start when no admin exists yet. */
@ConfigMapping(prefix = "rlhf.admin")
public interface AdminSettings {

  @WithDefault("admin")
  String username();

  @WithDefault("admin")
  String password();
}
