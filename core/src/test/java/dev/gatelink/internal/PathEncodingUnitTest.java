package dev.gatelink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PathEncoding#append}: decoded path-parameter values percent-encoded back into a path. */
class PathEncodingUnitTest {

  private static String encode(String value, boolean keepSlashes) {
    StringBuilder out = new StringBuilder();
    PathEncoding.append(out, value, keepSlashes);
    return out.toString();
  }

  @Test
  void unreservedCharactersAreKept() {
    String unreserved = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

    assertThat(encode(unreserved, false)).isEqualTo(unreserved);
  }

  @Test
  void subDelimitersColonAndAtAreKept() {
    assertThat(encode("!$&'()*+,;=:@", false)).isEqualTo("!$&'()*+,;=:@");
  }

  @Test
  void slashIsEncodedForASingleSegmentVariable() {
    assertThat(encode("a/b", false)).isEqualTo("a%2Fb");
  }

  @Test
  void slashIsKeptForAGreedyVariable() {
    assertThat(encode("a/b/c", true)).isEqualTo("a/b/c");
  }

  @Test
  void percentIsEncodedSoABackendDecodingTwiceGetsTheValue() {
    assertThat(encode("100%2F", false)).isEqualTo("100%252F");
  }

  @Test
  void percentIsEncodedForAGreedyVariableToo() {
    assertThat(encode("a/%2e%2e/b", true)).isEqualTo("a/%252e%252e/b");
  }

  static Stream<Arguments> encodedCharacters() {
    return Stream.of(
        Arguments.of("?", "%3F"), Arguments.of("#", "%23"), Arguments.of(" ", "%20"), Arguments.of("\"", "%22"),
        Arguments.of("<", "%3C"), Arguments.of(">", "%3E"), Arguments.of("[", "%5B"), Arguments.of("]", "%5D"),
        Arguments.of("{", "%7B"), Arguments.of("}", "%7D"), Arguments.of("\\", "%5C"), Arguments.of("^", "%5E"),
        Arguments.of("`", "%60"), Arguments.of("|", "%7C"));
  }

  @ParameterizedTest
  @MethodSource("encodedCharacters")
  void characterOutsideThePathCharactersIsEncoded(String value, String expected) {
    assertThat(encode(value, false)).isEqualTo(expected);
  }

  @Test
  void queryAndFragmentCannotBeStartedFromAGreedyValue() {
    assertThat(encode("a/b?x=1#top", true)).isEqualTo("a/b%3Fx=1%23top");
  }

  @Test
  void controlCharactersAreEncoded() {
    assertThat(encode("a\r\n\t\u0000\u007f", false)).isEqualTo("a%0D%0A%09%00%7F");
  }

  @Test
  void twoByteCharacterIsEncodedAsUtf8() {
    assertThat(encode("é", false)).isEqualTo("%C3%A9");
  }

  @Test
  void threeByteCharacterIsEncodedAsUtf8() {
    assertThat(encode("€", false)).isEqualTo("%E2%82%AC");
  }

  @Test
  void surrogatePairIsEncodedAsOneFourByteCharacter() {
    assertThat(encode("\uD83D\uDE00", false)).isEqualTo("%F0%9F%98%80");
  }

  @Test
  void surrogatePairsNextToOtherCharactersAreEachEncoded() {
    assertThat(encode("a\uD83D\uDE00b\uD834\uDD1E/", false)).isEqualTo("a%F0%9F%98%80b%F0%9D%84%9E%2F");
  }

  @Test
  void emptyValueAppendsNothing() {
    assertThat(encode("", false)).isEmpty();
  }

  @Test
  void valueIsAppendedAfterWhatIsAlreadyThere() {
    StringBuilder out = new StringBuilder("/orders/");

    PathEncoding.append(out, "a b", false);

    assertThat(out).hasToString("/orders/a%20b");
  }

  @Test
  void dotSegmentsStayInOneSegment() {
    assertThat(encode("../admin", false)).isEqualTo("..%2Fadmin");
  }
}
