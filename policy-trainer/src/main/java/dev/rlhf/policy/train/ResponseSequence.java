package dev.rlhf.policy.train;

/**
 * An encoded prompt followed by a response: what a teacher-forced pass scores, whether the response
 * was sampled (a PPO rollout) or written and ranked by people (a DPO pair's side).
 */
public interface ResponseSequence {

  /** Just the tokens. */
  record Tokens(int[] promptTokens, int[] responseTokens) implements ResponseSequence {}

  static ResponseSequence of(int[] promptTokens, int[] responseTokens) {
    return new Tokens(promptTokens, responseTokens);
  }

  /** The encoded prompt, ending in {@code <|assistant|>}. */
  int[] promptTokens();

  /** The response's tokens, including a closing {@code <|end|>} when it has one. */
  int[] responseTokens();

  /** The prompt followed by the response: the sequence the networks read. */
  default int[] sequence() {
    int[] prompt = promptTokens();
    int[] response = responseTokens();
    int[] all = new int[prompt.length + response.length];
    System.arraycopy(prompt, 0, all, 0, prompt.length);
    System.arraycopy(response, 0, all, prompt.length, response.length);
    return all;
  }

  default int length() {
    return responseTokens().length;
  }
}
