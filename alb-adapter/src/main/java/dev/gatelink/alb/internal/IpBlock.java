package dev.gatelink.alb.internal;

/** A CIDR block of a {@code source-ip} condition: IPv4 or IPv6, an address and a prefix length. */
final class IpBlock {
  private final boolean ipv6;
  private final int v4Network;
  private final int v4Mask;
  private final long highNetwork;
  private final long lowNetwork;
  private final long highMask;
  private final long lowMask;

  private IpBlock(boolean ipv6, int v4Network, int v4Mask, long highNetwork, long lowNetwork, long highMask,
      long lowMask) {
    this.ipv6 = ipv6;
    this.v4Network = v4Network;
    this.v4Mask = v4Mask;
    this.highNetwork = highNetwork;
    this.lowNetwork = lowNetwork;
    this.highMask = highMask;
    this.lowMask = lowMask;
  }

  /**
   * An IPv4 block. Bits of the address past the prefix are ignored ({@code 198.51.100.10/24} is
   * {@code 198.51.100.0/24}).
   */
  static IpBlock ipv4(long address, int prefix) {
    int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
    return new IpBlock(false, (int) address & mask, mask, 0, 0, 0, 0);
  }

  /** An IPv6 block; bits past the prefix are ignored. */
  static IpBlock ipv6(long high, long low, int prefix) {
    long highMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
    long lowMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    return new IpBlock(true, 0, 0, high & highMask, low & lowMask, highMask, lowMask);
  }

  boolean containsIpv4(int address) {
    return !ipv6 && (address & v4Mask) == v4Network;
  }

  boolean containsIpv6(long high, long low) {
    return ipv6 && (high & highMask) == highNetwork && (low & lowMask) == lowNetwork;
  }
}
