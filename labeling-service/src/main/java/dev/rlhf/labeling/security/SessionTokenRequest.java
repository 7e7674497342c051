package dev.rlhf.labeling.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The token of a session cookie, to be turned into the identity of its account. */
public class SessionTokenRequest extends BaseAuthenticationRequest {

  private final String token;

  SessionTokenRequest(String token) {
    this.token = token;
  }

  String token() {
    return token;
  }
}
