package dev.rlhf.runtime.registry;

/** A request named a version this runtime has never heard of. */
public class UnknownVersionException extends RuntimeException {

  public UnknownVersionException(String version) {
    super("no policy version named '" + version + "' is known to this runtime");
  }
}
