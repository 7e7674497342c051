package dev.rlhf.launcher;

import java.net.http.HttpResponse;

/** The {@code rlhf-session} cookie a sign-in answer sets, as a {@code Cookie} header value. */
final class SessionCookie {

  static final String NAME = "rlhf-session";

  private SessionCookie() {}

  static String of(HttpResponse<?> signIn) {
    return signIn.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(NAME + "="))
        .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + NAME + " cookie in " + signIn.headers()));
  }
}
