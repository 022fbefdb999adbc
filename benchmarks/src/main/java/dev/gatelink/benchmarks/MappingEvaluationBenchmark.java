package dev.gatelink.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatelink.config.Integration;
import dev.gatelink.config.MappingSources;
import dev.gatelink.config.MappingValue;
import dev.gatelink.config.ParameterMapping;
import dev.gatelink.filter.ContextVariable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What evaluating an integration's mapping set costs per request: the pipeline benchmark's three request
 * mappings and one response mapping ({@code benchmarks/scripts/pipeline-bench/pipeline.yaml}), evaluated
 * against one request's sources, against a baseline that appends the same texts as constants. Run with
 * {@code -prof gc} for the allocation per evaluation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MappingEvaluationBenchmark {
  private final MappingValue[] values;
  private final String[] constants = {"Ax1bC2dE3fG4h=", "curl/8.5.0 via $default", "gatelink", "ANY /{proxy+}"};
  private final MappingSources sources = new Sources();

  /** Parses the mapping set once, as the gateway does when it compiles the configuration. */
  public MappingEvaluationBenchmark() {
    Integration integration = Integration.builder().uri("http://backend.bench:18080/{proxy}")
        .requestParameter("append:header.x-request-id", "$context.requestId")
        .requestParameter("overwrite:header.x-caller", "${request.header.user-agent} via ${context.stage}")
        .requestParameter("overwrite:querystring.source", "gatelink")
        .responseParameters("200", Map.of("append:header.x-route", "$context.routeKey"))
        .build();
    List<ParameterMapping> request = integration.requestMappings();
    ParameterMapping response = integration.responseMappings().get(200).get(0);
    values = new MappingValue[] {request.get(0).value(), request.get(1).value(), request.get(2).value(),
        response.value()};
  }

  /** The baseline: the same four texts, already known. */
  @Benchmark
  public void constants(Blackhole blackhole) {
    for (String constant : constants) {
      blackhole.consume(constant);
    }
  }

  /** The mapping set evaluated against one request's sources. */
  @Benchmark
  public void evaluate(Blackhole blackhole) {
    for (MappingValue value : values) {
      blackhole.consume(value.evaluate(sources));
    }
  }

  /** One request's sources, as the exchange gives them: values it already holds. */
  private static final class Sources implements MappingSources {
    @Override
    public @Nullable String requestHeader(String name) {
      return name.equals("user-agent") ? "curl/8.5.0" : null;
    }

    @Override
    public @Nullable String requestQuery(String name) {
      return null;
    }

    @Override
    public String requestPath() {
      return "/hello";
    }

    @Override
    public @Nullable String pathParameter(String name) {
      return "hello";
    }

    @Override
    public @Nullable JsonNode requestJson() {
      return null;
    }

    @Override
    public @Nullable String requestBodyText() {
      return null;
    }

    @Override
    public @Nullable String responseHeader(String name) {
      return null;
    }

    @Override
    public @Nullable JsonNode responseJson() {
      return null;
    }

    @Override
    public @Nullable String responseBodyText() {
      return null;
    }

    @Override
    public @Nullable String context(ContextVariable variable) {
      switch (variable) {
        case REQUEST_ID:
          return "Ax1bC2dE3fG4h=";
        case STAGE:
          return "$default";
        case ROUTE_KEY:
          return "ANY /{proxy+}";
        default:
          return null;
      }
    }

    @Override
    public @Nullable String stageVariable(String name) {
      return null;
    }
  }
}
