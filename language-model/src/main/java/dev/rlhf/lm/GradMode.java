package dev.rlhf.lm;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode is per thread and on by default in a new thread, while DJL turns it off only
 * in the thread that started the engine. With it on, a forward pass outside a gradient collector
 * still records a graph (slower, and it keeps intermediates alive), and an optimizer's in-place
 * update of a weight fails ("a leaf Variable that requires grad is being used in an in-place
 * operation"). Gradient collectors switch it on only while they are open.
 */
public final class GradMode {

  private GradMode() {}

  /** Turns grad mode off for good in the calling thread (a training or serving thread). */
  public static void offInThisThread() {
    Engine.getInstance(); // loads the native library if nothing has yet
    JniUtils.setGradMode(false);
  }

  /** Turns grad mode off in the calling thread until the returned scope is closed. */
  public static Scope off() {
    Engine.getInstance();
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
