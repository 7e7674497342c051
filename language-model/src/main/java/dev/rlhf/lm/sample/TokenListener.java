package dev.rlhf.lm.sample;

/**
 * Hears each token as soon as it is chosen, on the generating thread, so a server can stream a
 * completion while the batch is still being sampled. Keep it quick: the whole batch waits for it.
 */
@FunctionalInterface
public interface TokenListener {

  TokenListener NONE = (row, token) -> {};

  /**
   * @param row which prompt (or which of the n samples) the token continues
   * @param token the chosen id, special tokens included
   */
  void onToken(int row, int token);
}
