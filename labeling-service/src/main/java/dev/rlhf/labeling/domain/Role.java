package dev.rlhf.labeling.domain;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a signed-in person may do; the lower-case name is the role checked by @RolesAllowed. */
public enum Role {
  /** Takes tasks and submits labels, sees only their own assignments. */
  CONTRACTOR,
  /** Reads labels and statistics to check quality; changes nothing. */
  REVIEWER,
  /** Runs projects: guidelines, prompts, completion requests, browsing, exports. */
  RESEARCHER,
  /** Manages accounts and roles; may also do what researchers do. */
  ADMIN;

  public static final String CONTRACTOR_NAME = "contractor";
  public static final String REVIEWER_NAME = "reviewer";
  public static final String RESEARCHER_NAME = "researcher";
  public static final String ADMIN_NAME = "admin";

  public String roleName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a role name; null when there is no such role. */
  public static Role parse(String name) {
    return Arrays.stream(values())
        .filter(r -> r.roleName().equalsIgnoreCase(name == null ? "" : name.trim()))
        .findFirst()
        .orElse(null);
  }

  public static String join(Set<Role> roles) {
    return roles.stream().sorted().map(Role::roleName).collect(Collectors.joining(","));
  }

  public static Set<Role> split(String roles) {
    EnumSet<Role> out = EnumSet.noneOf(Role.class);
    for (String name : roles.split(",")) {
      Role role = parse(name);
      if (role != null) out.add(role);
    }
    return out;
  }
}
