package dev.rlhf.lm.demo;

import java.util.List;
import java.util.Map;

/** The closed vocabulary of the demo world: who and what its texts and questions are about. */
final class WorldFacts {

  private WorldFacts() {}

  static final List<String> NAMES =
      List.of("Tom", "Anna", "Ben", "Lily", "Max", "Mia", "Sam", "Zoe");
  static final List<String> ADJECTIVES =
      List.of("little", "happy", "brave", "small", "kind", "sleepy", "clever", "shy");
  static final List<String> THINGS =
      List.of("ball", "hat", "apple", "kite", "box", "book", "shell", "drum");

  /** Animal and the sound it makes. */
  static final Map<String, String> SOUNDS =
      Map.of(
          "cat", "meow", "dog", "woof", "cow", "moo", "duck", "quack", "sheep", "baa", "owl",
          "hoot", "pig", "oink", "frog", "ribbit");

  static final List<String> ANIMALS = SOUNDS.keySet().stream().sorted().toList();

  /** Country and capital. */
  static final Map<String, String> CAPITALS =
      Map.of(
          "France", "Paris", "Spain", "Madrid", "Italy", "Rome", "Germany", "Berlin", "Japan",
          "Tokyo", "Egypt", "Cairo", "Canada", "Ottawa", "Peru", "Lima", "Kenya", "Nairobi",
          "Norway", "Oslo");

  static final List<String> COUNTRIES = CAPITALS.keySet().stream().sorted().toList();

  /** Largest operand of the arithmetic facts. */
  static final int MAX_OPERAND = 10;
}
