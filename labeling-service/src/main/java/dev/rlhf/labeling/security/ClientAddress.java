package dev.rlhf.labeling.security;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The address a request comes from: the peer, or, behind a proxy that Quarkus is told to trust
 * ({@code quarkus.http.proxy.*}), the client the proxy names.
 */
final class ClientAddress {

  private ClientAddress() {}

  static String of(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return remote == null ? "unknown" : remote.hostAddress();
  }
}
