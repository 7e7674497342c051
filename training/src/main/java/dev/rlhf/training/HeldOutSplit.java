package dev.rlhf.training;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Decides by prompt id alone whether a prompt is held out (the trainers' one rule: the reward
 * model's held-out pairs, SFT's validation prompts, and the prompts a policy is evaluated on), so
 * every pair of one prompt lands on the same side, and the split is the same in every run, JVM and
 * replay. SHA-256 rather than {@code hashCode}: its buckets are uniform and fixed by specification.
 */
public final class HeldOutSplit {

  private static final int BUCKETS = 10_000;
  private final double heldOutPercent;

  public HeldOutSplit(double heldOutPercent) {
    this.heldOutPercent = heldOutPercent;
  }

  public boolean isHeldOut(UUID promptId) {
    return bucket(promptId) < heldOutPercent * BUCKETS / 100.0;
  }

  public static int bucket(UUID promptId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(promptId.toString().getBytes(StandardCharsets.UTF_8));
      return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), BUCKETS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
