package dev.rlhf.labeling.domain;

/**
 * Text a network sampled, as PostgreSQL can keep it. Its text and jsonb columns refuse U+0000,
 * which a byte-level network can sample; one such text would fail its event on every redelivery and
 * hold up every event behind it. It becomes U+FFFD, the replacement character; everything else is
 * kept as the model wrote it.
 */
public final class ModelText {

  private ModelText() {}

  public static String storable(String text) {
    return text == null ? null : text.replace('\u0000', '\uFFFD');
  }
}
