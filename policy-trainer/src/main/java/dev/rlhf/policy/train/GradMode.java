package dev.rlhf.policy.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode is per thread and on by default in a new thread, while DJL turns it off only
 * in the thread that started the engine. With it on, the optimizer's in-place updates of the
 * weights fail ("a leaf Variable that requires grad is being used in an in-place operation"), and
 * frozen forward passes would record graphs. Every training thread calls this first; gradient
 * collectors switch it on only while they are open.
 */
public final class GradMode {

  private GradMode() {}

  public static void offInThisThread() {
    Engine.getInstance(); // loads the native library if nothing has yet
    JniUtils.setGradMode(false);
  }
}
