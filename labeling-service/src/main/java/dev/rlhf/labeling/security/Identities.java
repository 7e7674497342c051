package dev.rlhf.labeling.security;

import dev.rlhf.labeling.domain.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.UUID;

/** Builds the identity of a signed-in account and reads it back in resources. */
public final class Identities {

  private static final String USER_ID = "userId";
  private static final String SESSION_ID = "sessionId";

  private Identities() {}

  /** The identity of an account; {@code sessionId} is null for basic auth. */
  static SecurityIdentity of(AccountLookup.StoredAccount account, UUID sessionId) {
    QuarkusSecurityIdentity.Builder builder =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal(account.username()))
            .addAttribute(USER_ID, account.id());
    if (sessionId != null) builder.addAttribute(SESSION_ID, sessionId);
    Role.split(account.roles()).forEach(role -> builder.addRole(role.roleName()));
    return builder.build();
  }

  /** The account id of the caller. */
  public static UUID userId(SecurityIdentity identity) {
    return identity.getAttribute(USER_ID);
  }

  /** The browser session the caller signed in with; null for basic auth. */
  public static UUID sessionId(SecurityIdentity identity) {
    return identity.getAttribute(SESSION_ID);
  }
}
