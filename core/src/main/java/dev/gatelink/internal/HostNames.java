package dev.gatelink.internal;

/** Checks of host names, shared by the configuration classes. */
public final class HostNames {
  private HostNames() {}

  /** True for a DNS name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
  public static boolean isDnsName(String name) {
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    int labelStart = 0;
    for (int i = 0; i <= name.length(); i++) {
      char c = i == name.length() ? '.' : name.charAt(i);
      if (c == '.') {
        int length = i - labelStart;
        if (length == 0 || length > 63 || name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
      } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
