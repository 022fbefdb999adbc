package dev.gatelink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentEncodingUnitTest {
  private static String encode(String text, boolean[] keep) {
    StringBuilder out = new StringBuilder();
    PercentEncoding.append(out, text, keep);
    return out.toString();
  }

  @Test
  void unreservedCharactersAreKeptAndEveryOtherAsciiCharacterIsEscaped() {
    assertThat(encode("aZ09-._~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}\u0000\u007f", PercentEncoding.UNRESERVED))
        .isEqualTo("aZ09-._~%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D"
            + "%00%7F");
  }

  @Test
  void nonAsciiCharactersAreEscapedAsTheirUtf8BytesSurrogatePairsAsOneCharacter() {
    assertThat(encode("é中😀x", PercentEncoding.UNRESERVED)).isEqualTo("%C3%A9%E4%B8%AD%F0%9F%98%80x");
  }

  @Test
  void aLoneSurrogateIsEscapedAsAQuestionMarkAsJavaEncodesIt() {
    assertThat(encode("a\ud83d", PercentEncoding.UNRESERVED)).isEqualTo("a%3F");
    assertThat(encode("\ude00b", PercentEncoding.UNRESERVED)).isEqualTo("%3Fb");
  }

  @Test
  void aTableKeepsLettersDigitsAndTheCharactersNamed() {
    assertThat(encode("a/b c%", PercentEncoding.keeping("/%"))).isEqualTo("a/b%20c%");
  }
}
