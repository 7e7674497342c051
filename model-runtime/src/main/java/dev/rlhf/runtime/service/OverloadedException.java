package dev.rlhf.runtime.service;

/** The generation queue is full: the caller should retry later. */
public class OverloadedException extends RuntimeException {

  public OverloadedException(int queueSize) {
    super("the runtime is busy: " + queueSize + " generations are already waiting");
  }
}
