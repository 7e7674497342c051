package dev.rlhf.runtime.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A bearer token is either the service key (the platform's own services) or a key an admin issued
 * (by its SHA-256 digest, the only form the runtime ever sees it in). Digests are compared, so the
 * time a comparison takes tells nothing about the service key.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

  static final String SERVICE = "service";

  private final byte[] serviceKeyDigest;
  private final IssuedKeys issued;

  ApiKeyIdentityProvider(AuthSettings settings, IssuedKeys issued) {
    this.serviceKeyDigest = digest(settings.serviceKey());
    this.issued = issued;
  }

  @Override
  public Class<ApiKeyRequest> getRequestType() {
    return ApiKeyRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      ApiKeyRequest request, AuthenticationRequestContext context) {
    byte[] digest = digest(request.token());
    Optional<String> client =
        MessageDigest.isEqual(digest, serviceKeyDigest)
            ? Optional.of(SERVICE)
            : issued.nameOf(HexFormat.of().formatHex(digest));
    return client
        .map(name -> Uni.createFrom().<SecurityIdentity>item(identity(name)))
        .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
  }

  private static SecurityIdentity identity(String name) {
    return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).build();
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
