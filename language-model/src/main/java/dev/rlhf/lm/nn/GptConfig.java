package dev.rlhf.lm.nn;

import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.Gpt2Tokenizer;

/**
 * Shapes of a GPT-2 style network. Saved inside every checkpoint, so a checkpoint can rebuild its
 * network without outside knowledge.
 *
 * @param nLayer number of transformer blocks
 * @param nHead attention heads per block
 * @param nEmbd width of the residual stream; must be divisible by {@code nHead}
 * @param blockSize longest context (positions) the network can attend over
 * @param vocabSize number of token ids, special tokens included
 * @param dropout dropout probability during training (0 for small data and for fine-tuning)
 * @param bias whether linear layers and layer norms carry a bias (GPT-2: true)
 * @param tieWeights whether {@code lm_head} reuses the {@code wte} matrix (GPT-2: true)
 * @param activation the MLP's GELU: exact for the networks the platform trains, GPT-2's tanh
 *     approximation for imported GPT-2 weights; a checkpoint written before this field existed
 *     (null here) used the tanh form
 */
public record GptConfig(
    int nLayer,
    int nHead,
    int nEmbd,
    int blockSize,
    int vocabSize,
    float dropout,
    boolean bias,
    boolean tieWeights,
    Activation activation) {

  /** The MLP's nonlinearity. */
  public enum Activation {
    /** {@code x Phi(x)} with the exact normal CDF: one fused op forward and backward. */
    GELU,
    /**
     * GPT-2's {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} (Hugging Face "gelu_new").
     */
    GELU_TANH
  }

  public GptConfig {
    if (activation == null) {
      activation = Activation.GELU_TANH;
    }
    if (nLayer <= 0 || nHead <= 0 || nEmbd <= 0 || blockSize <= 0 || vocabSize <= 0) {
      throw new IllegalArgumentException("all sizes must be positive: " + this);
    }
    if (nEmbd % nHead != 0) {
      throw new IllegalArgumentException(
          "nEmbd (" + nEmbd + ") must be divisible by nHead (" + nHead + ")");
    }
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
    }
  }

  /** A network the platform trains itself, with the exact GELU. */
  public GptConfig(
      int nLayer,
      int nHead,
      int nEmbd,
      int blockSize,
      int vocabSize,
      float dropout,
      boolean bias,
      boolean tieWeights) {
    this(nLayer, nHead, nEmbd, blockSize, vocabSize, dropout, bias, tieWeights, Activation.GELU);
  }

  /** {@link #tiny(int)} for the byte tokenizer's 262 ids. */
  public static GptConfig tiny() {
    return tiny(new ByteTokenizer().vocabSize());
  }

  /** {@link #gpt2Small(int)} for GPT-2's ids plus our special tokens (50262). */
  public static GptConfig gpt2Small() {
    return gpt2Small(Gpt2Tokenizer.VOCAB_SIZE);
  }

  /** A network of well under a million parameters for tests, sized for {@code vocabSize}. */
  public static GptConfig tiny(int vocabSize) {
    return new GptConfig(2, 2, 32, 64, vocabSize, 0f, true, true);
  }

  /** GPT-2 small shapes and activation (124M parameters with GPT-2's 50257 ids). */
  public static GptConfig gpt2Small(int vocabSize) {
    return new GptConfig(12, 12, 768, 1024, vocabSize, 0f, true, true, Activation.GELU_TANH);
  }

  /** Width of one attention head. */
  public int headSize() {
    return nEmbd / nHead;
  }

  /** The same shapes with another vocabulary size (used when special tokens grow GPT-2's). */
  public GptConfig withVocabSize(int newVocabSize) {
    return new GptConfig(
        nLayer, nHead, nEmbd, blockSize, newVocabSize, dropout, bias, tieWeights, activation);
  }

  /** The same shapes with another dropout (fine-tuning usually turns it off). */
  public GptConfig withDropout(float newDropout) {
    return new GptConfig(
        nLayer, nHead, nEmbd, blockSize, vocabSize, newDropout, bias, tieWeights, activation);
  }
}
