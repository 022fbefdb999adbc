package dev.gatelink.gateway;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids shaped like API Gateway's ({@code $context.requestId}, the {@code apigw-requestid} header): 16
 * characters of base64 over 88 random bits and the current second, such as {@code JGRvKi5ZIAMEJvQ=}.
 */
final class RequestIds {
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = random.nextLong();
    long low = (System.currentTimeMillis() / 1000) << 32 ^ random.nextInt();
    char[] id = new char[16];
    for (int i = 0; i < 10; i++) {
      id[i] = ALPHABET[(int) (high >>> (58 - 6 * i)) & 63];
    }
    for (int i = 10; i < 15; i++) {
      id[i] = ALPHABET[(int) (low >>> (58 - 6 * (i - 10))) & 63];
    }
    id[15] = '=';
    return new String(id);
  }
}
