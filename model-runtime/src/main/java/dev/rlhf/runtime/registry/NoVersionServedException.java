package dev.rlhf.runtime.registry;

/** Nothing can be served yet: the base network is still loading (or pretraining). */
public class NoVersionServedException extends RuntimeException {

  public NoVersionServedException() {
    super("no policy version is loaded yet");
  }
}
