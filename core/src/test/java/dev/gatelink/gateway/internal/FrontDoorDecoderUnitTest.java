package dev.gatelink.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FrontDoorDecoder#framingProblem}: which request framings the front door refuses, and the reasons logged. */
class FrontDoorDecoderUnitTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      gzip           | Transfer-Encoding 'gzip' is not chunked
      chunked, gzip  | Transfer-Encoding 'chunked, gzip' is not chunked
      gzip, chunked  | Transfer-Encoding 'gzip, chunked' is not chunked
      xchunked       | Transfer-Encoding 'xchunked' is not chunked
      chunked;x=1    | Transfer-Encoding 'chunked;x=1' is not chunked
      chunked,chunked| Transfer-Encoding 'chunked,chunked' is not chunked
      identity       | Transfer-Encoding 'identity' is not chunked
      ','            | Transfer-Encoding ',' is not chunked
      """)
  void codingOtherThanChunkedAloneIsRefused(String coding, String reason) {
    assertThat(FrontDoorDecoder.framingProblem(HttpVersion.HTTP_1_1, headers("transfer-encoding", coding)))
        .isEqualTo(reason);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"chunked", "CHUNKED", "Chunked", "chunked,", ", chunked", ",chunked ,"})
  void chunkedAloneInAnyCaseWithEmptyListElementsIsAccepted(String coding) {
    assertThat(FrontDoorDecoder.framingProblem(HttpVersion.HTTP_1_1, headers("transfer-encoding", coding))).isNull();
  }

  @Test
  void twoTransferEncodingLinesAreReadAsOneList() {
    HttpHeaders headers = new DefaultHttpHeaders().add("transfer-encoding", "chunked").add("transfer-encoding", "chunked");

    assertThat(FrontDoorDecoder.framingProblem(HttpVersion.HTTP_1_1, headers))
        .isEqualTo("Transfer-Encoding 'chunked, chunked' is not chunked");
  }

  @Test
  void contentLengthWithTransferEncodingIsRefused() {
    HttpHeaders headers = new DefaultHttpHeaders().add("content-length", "5").add("transfer-encoding", "chunked");

    assertThat(FrontDoorDecoder.framingProblem(HttpVersion.HTTP_1_1, headers))
        .isEqualTo("both Content-Length and Transfer-Encoding 'chunked'");
  }

  @Test
  void transferEncodingInHttp10IsRefused() {
    assertThat(FrontDoorDecoder.framingProblem(HttpVersion.HTTP_1_0, headers("transfer-encoding", "chunked")))
        .isEqualTo("Transfer-Encoding 'chunked' in an HTTP/1.0 request");
  }

  @Test
  void contentLengthAloneOrNoFramingIsAccepted() {
    assertThat(FrontDoorDecoder.framingProblem(HttpVersion.HTTP_1_1, headers("content-length", "5"))).isNull();
    assertThat(FrontDoorDecoder.framingProblem(HttpVersion.HTTP_1_0, new DefaultHttpHeaders())).isNull();
  }

  private static HttpHeaders headers(String name, String value) {
    return new DefaultHttpHeaders().add(name, value);
  }
}
