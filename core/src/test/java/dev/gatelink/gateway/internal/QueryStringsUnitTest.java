package dev.gatelink.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringsUnitTest {
  @Test
  void untouchedParametersKeepTheirRawText() {
    QueryStrings query = new QueryStrings("a=1&b=%41%20x&&c");
    query.append("d", "4");

    assertThat(query.text()).isEqualTo("a=1&b=%41%20x&c&d=4");
  }

  @Test
  void removeDropsEveryParameterOfTheDecodedName() {
    QueryStrings query = new QueryStrings("a=1&%61=2&b=3&a");
    query.remove("a");

    assertThat(query.text()).isEqualTo("b=3");
  }

  @Test
  void overwriteReplacesEveryValueWithOneAtTheEnd() {
    QueryStrings query = new QueryStrings("a=1&b=2&a=3");
    query.overwrite("a", "x");

    assertThat(query.text()).isEqualTo("b=2&a=x");
  }

  @Test
  void addedNamesAndValuesAreEncodedSoTheyCannotAddAParameter() {
    QueryStrings query = new QueryStrings(null);
    query.append("n&m", "v=1&admin=true #é/");

    assertThat(query.text()).isEqualTo("n%26m=v%3D1%26admin%3Dtrue%20%23%C3%A9%2F");
  }

  @Test
  void removingTheLastParameterLeavesNoQuery() {
    QueryStrings query = new QueryStrings("a=1");
    query.remove("a");

    assertThat(query.text()).isNull();
  }
}
