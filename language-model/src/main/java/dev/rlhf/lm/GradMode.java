package dev.rlhf.lm;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode is per thread and on by default in a new thread, while DJL turns it off only
 * in the thread that started the engine. With it on, a forward pass outside a gradient collector
 * still records a graph (slower, and it keeps intermediates alive), and an optimizer's in-place
 * update of a weight fails ("a leaf Variable that requires grad is being used in an in-place
 * operation").
 *
 * <p>The rule, so that no thread has to remember it: the network's entry points ({@link
 * LanguageModel}'s passes that are not trained, its weight loading) and the optimizer's update
 * switch it off for their own duration; a gradient collector switches it on while it is open. Code
 * that works on parameters in place elsewhere takes a scope from {@link #off()}.
 */
public final class GradMode {

  private GradMode() {}

  /** Turns grad mode off in the calling thread until the returned scope is closed. */
  public static Scope off() {
    Engine.getInstance(); // loads the native library if nothing has yet
    boolean before = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    return () -> JniUtils.setGradMode(before);
  }

  /** Restores the calling thread's grad mode on close. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
