package dev.rlhf.runtime.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The bearer token of a request, to be checked against the service key and the issued keys. */
public class ApiKeyRequest extends BaseAuthenticationRequest {

  private final String token;

  ApiKeyRequest(String token) {
    this.token = token;
  }

  String token() {
    return token;
  }
}
