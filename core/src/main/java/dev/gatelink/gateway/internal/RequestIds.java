package dev.gatelink.gateway.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids shaped like API Gateway's ({@code $context.requestId}, the {@code apigw-requestid} header): 16
 * characters of base64 (15 digits, then {@code =}) over 60 random bits and 30 bits of the current second,
 * such as {@code JGRvKi5ZIAMEJvQ=}.
 */
final class RequestIds {
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long random60 = random.nextLong();
    long seconds = System.currentTimeMillis() / 1000;
    char[] id = new char[16];
    for (int i = 0; i < 10; i++) {
      id[i] = ALPHABET[(int) (random60 >>> (54 - 6 * i)) & 63];
    }
    for (int i = 10; i < 15; i++) {
      id[i] = ALPHABET[(int) (seconds >>> (24 - 6 * (i - 10))) & 63];
    }
    id[15] = '=';
    return new String(id);
  }
}
