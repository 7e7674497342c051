package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.security.Identities;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** The signed-in account making the current request. */
@RequestScoped
public class Caller {

  private final SecurityIdentity identity;

  Caller(SecurityIdentity identity) {
    this.identity = identity;
  }

  public UUID id() {
    return Identities.userId(identity);
  }

  public String username() {
    return identity.getPrincipal().getName();
  }
}
