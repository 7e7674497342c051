package dev.rlhf.labeling.reports.service;

import dev.rlhf.events.contract.ChatTurn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Identifies a conversation regardless of who reports it: roles and texts, with case and runs of
 * whitespace ignored, so the same bad answer copied by two systems is one report.
 */
public final class ConversationHash {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private ConversationHash() {}

  public static String of(List<ChatTurn> conversation) {
    MessageDigest sha = sha256();
    for (ChatTurn turn : conversation) {
      sha.update(turn.role().name().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(normalize(turn.text()).getBytes(StandardCharsets.UTF_8));
      // A separator no text contains keeps ["ab","c"] and ["a","bc"] apart.
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static String normalize(String text) {
    return WHITESPACE.matcher(text.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
