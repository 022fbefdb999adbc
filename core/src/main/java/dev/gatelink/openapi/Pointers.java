package dev.gatelink.openapi;

/** RFC 6901 JSON pointers: one reference token escaped and appended, or unescaped. */
final class Pointers {
  private Pointers() {}

  /** The pointer of a child: {@code ~} is written {@code ~0} and {@code /} is written {@code ~1}. */
  static String child(String parent, String token) {
    return parent + "/" + token.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer of a list item. */
  static String child(String parent, int index) {
    return parent + "/" + index;
  }

  /** One reference token read back: {@code ~1} is {@code /}, then {@code ~0} is {@code ~}. */
  static String unescape(String token) {
    return token.replace("~1", "/").replace("~0", "~");
  }
}
