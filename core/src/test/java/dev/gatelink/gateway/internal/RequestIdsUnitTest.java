package dev.gatelink.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** {@link RequestIds#next()}: ids shaped like API Gateway's {@code $context.requestId}. */
class RequestIdsUnitTest {

  @RepeatedTest(20)
  void idIs16Characters() {
    assertThat(RequestIds.next()).hasSize(16);
  }

  @RepeatedTest(20)
  void idIs15Base64CharactersAndAnEqualsSign() {
    assertThat(RequestIds.next()).matches("[A-Za-z0-9+/]{15}=");
  }

  @Test
  void tenThousandIdsAreDistinct() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(RequestIds.next());
    }

    assertThat(ids).hasSize(10_000);
  }

  @Test
  void idsUseTheWholeAlphabetInTheirRandomPart() {
    Set<Character> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestIds.next();
      for (int j = 0; j < 10; j++) {
        seen.add(id.charAt(j));
      }
    }

    assertThat(seen).hasSize(64);
  }

  @Test
  void requestIdsUseTheirRandomBitsAcrossTheFirstTenCharacters() {
    Set<String> prefixes = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      prefixes.add(RequestIds.next().substring(8, 10));
    }
    assertThat(prefixes).hasSizeGreaterThan(500);
  }
}
