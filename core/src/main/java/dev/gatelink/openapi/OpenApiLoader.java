package dev.gatelink.openapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import dev.gatelink.config.InvalidConfigException;
import dev.gatelink.config.Stage;
import dev.gatelink.config.ApiDefinition;

/**
 * Loads an HTTP API from an OpenAPI 3.0 file (YAML or JSON) with API Gateway's extensions, as API Gateway imports
 * one for an HTTP API, into a complete {@link ApiDefinition}: routes, integrations, CORS and stages.
 *
 * <p>The loader is strict: anything it cannot use is an error, never silently dropped. Every error is an
 * {@link InvalidConfigException} whose message is {@code FILE: POINTER: PROBLEM}, where {@code POINTER} is the
 * RFC 6901 JSON pointer of the offending value (for example
 * {@code /paths/~1orders~1{orderId}/get/x-amazon-apigateway-integration/timeoutInMillis}); an error that concerns
 * the whole file (unreadable, a syntax error, an empty document) has no pointer, and a syntax error gives its line
 * and column in the problem. Errors are reported one at a time, in this order: the version, then the root's keys
 * in document order, then every named integration of {@code components}, then each path and operation in document
 * order, then the routes together (duplicates) and against the stages (stage variables).
 *
 * <p>What is read:
 *
 * <ul>
 *   <li><b>File.</b> UTF-8 (a byte-order mark is skipped). A name ending in {@code .json} is read as JSON, one
 *       ending in {@code .yaml} or {@code .yml} as YAML, any other as JSON when its first character is
 *       <code>{</code> and as YAML otherwise. One document per file. A key given twice is an error. YAML
 *       booleans are {@code true} and {@code false} only ({@code yes}, {@code on} stay strings), an empty value
 *       is null, and an integer is read only when written in decimal ({@code 017}, {@code 0x10} and
 *       {@code 1_000} are refused rather than read as YAML 1.1 reads them). Jackson's limits apply (nesting
 *       depth 1000; SnakeYAML's 3 MiB of code points for YAML). A YAML tag other than YAML's own ({@code !Sub},
 *       {@code !GetAtt}, {@code !Ref}, any custom tag, and {@code !!binary}) is refused wherever it is, since such a
 *       file is a template for another tool that has not run yet. A YAML alias ({@code *name}) or merge key ({@code <<}) is refused where the loader reads the
 *       value (the parser does not expand them) and ignored in content the loader ignores.
 *   <li><b>Root.</b> {@code openapi} is {@code 3.0} or {@code 3.0.x}, as a string or as the number {@code 3.0};
 *       {@code swagger} and other versions are refused. {@code x-amazon-apigateway-importexport-version} is
 *       {@code 1.0} (string or number). {@code x-amazon-apigateway-cors} gives the {@code CorsConfiguration}:
 *       lists of strings, a boolean {@code allowCredentials} (default false) and an integer {@code maxAge}.
 *       {@code paths} is required; {@code paths: {}} is an API without routes.
 *   <li><b>Ignored, as API Gateway ignores it:</b> {@code info}, {@code servers}, {@code tags},
 *       {@code externalDocs}, the other {@code components} ({@code schemas}, {@code securitySchemes}, ...), an
 *       operation's {@code parameters}, {@code requestBody}, {@code responses}, {@code summary},
 *       {@code description}, {@code operationId}, {@code callbacks}, ..., and {@code x-} extensions that are not
 *       Amazon's. A key that is neither an OpenAPI field nor an {@code x-} extension, at the root, in
 *       {@code components}, in a path item or in an operation, is an error naming the keys expected there.
 *   <li><b>Amazon extensions.</b> Those above, {@code x-amazon-apigateway-any-method} in a path item,
 *       {@code x-amazon-apigateway-integration} in an operation and {@code x-amazon-apigateway-integrations} in
 *       {@code components} are read; found anywhere else they are an error saying where they belong. Any other
 *       {@code x-amazon-apigateway-*} extension, anywhere (authorizers, policies, endpoint configuration, ...), is
 *       refused as not supported by Gatelink, since ignoring it could change how the API behaves.
 *   <li><b>Security.</b> A {@code security} requirement that names a scheme, at the root or on an operation, is
 *       refused (Gatelink would serve the route without authorization); {@code security: []} and empty
 *       requirements ({@code [{}]}) are accepted.
 *   <li><b>Routes.</b> Each path key with each operation ({@code get put post delete options head patch} and
 *       {@code x-amazon-apigateway-any-method} for {@code ANY}) makes a route key such as
 *       {@code GET /orders/{orderId}}, checked by {@link dev.gatelink.route.RouteKey#parse(String)}. Routes are
 *       added in document order. {@code trace} is refused; so are a path item {@code $ref} and a path item without
 *       operations. The {@code $default} route is the path {@code /$default} (documented) or {@code $default}
 *       (which API Gateway imports with a warning), with {@code x-amazon-apigateway-any-method} only;
 *       {@code isDefaultRoute} is optional there, must not be false there and must not be true elsewhere. Every
 *       operation needs an {@code x-amazon-apigateway-integration}.
 *   <li><b>Integrations.</b> Written in the operation, or
 *       {@code $ref: "#/components/x-amazon-apigateway-integrations/NAME"} (NAME with JSON pointer escapes, and
 *       no other key beside the {@code $ref}). Every named integration in {@code components} is checked, even one
 *       no route uses. Unknown keys are reported first, then {@code type}, then the other fields in document
 *       order. {@code type} is required and is {@code http_proxy} in any case; {@code httpMethod} (upper case)
 *       defaults to {@code ANY}; {@code payloadFormatVersion} is {@code 1.0} (string or number) and defaults to
 *       {@code 1.0} when absent; {@code connectionType} is {@code INTERNET} (default) or {@code VPC_LINK}, in
 *       upper case; {@code timeoutInMillis} is an integer, or a string of decimal digits ({@code "10000"});
 *       {@code tlsConfig} holds only {@code serverNameToVerify}. A number where a string is expected is an error.
 *       {@code integrationSubtype}, {@code credentials}, {@code tlsConfig.insecureSkipVerification} and unknown
 *       keys are refused.
 *   <li><b>Gatelink's extension.</b> {@code x-gatelink-target}, in an operation next to its
 *       {@code x-amazon-apigateway-integration}, holds the options of the integration's target provider where API
 *       Gateway has no field (a Cloud Map health filter, load balancing): an object of names to strings, numbers
 *       (read as written) or booleans (read as {@code true} or {@code false}), where an object value is a group whose members become
 *       {@code group.member} ({@code optionalParameters: {zone: a}} is {@code optionalParameters.zone}). It applies
 *       to that operation's route only, also when the integration is a {@code $ref}. The provider checks the
 *       options when the gateway loads the API. {@code x-gatelink-passthrough}, at the document root, holds the
 *       TLS-passthrough listener's settings: the gateway does not read it (gatelink-nlb's
 *       {@code TlsPassthroughExtension} does). Any other {@code x-gatelink-*} key, and either of these two
 *       elsewhere in the root, {@code components}, a path item or an operation, is refused (content the loader
 *       ignores, such as {@code info} or {@code responses}, is not looked at). API Gateway ignores {@code x-} keys it does not know, so the file still
 *       imports there.
 *   <li><b>Placeholders</b> in the strings the loader reads: {@code ${AWS::Region}}, {@code ${AWS::AccountId}}
 *       and {@code ${AWS::Partition}} are replaced by the builder's values (an error names one that was not given);
 *       {@code ${stageVariables.NAME}} is kept in a uri and in parameter mapping values; {@code ${request.*}},
 *       {@code ${response.*}} and {@code ${context.*}} are kept in parameter mapping values; any other
 *       {@code ${...}} is refused by name. Keys are not resolved, and content the loader ignores is not checked.
 *       A CloudFormation intrinsic written as a map ({@code {Fn::GetAtt: [...]}}, {@code {Fn::Sub: ...}},
 *       {@code {Ref: ...}}) is refused where a value is read.
 * </ul>
 *
 * <p>An error that depends on the route (a uri path variable the route lacks) points at the operation's
 * {@code x-amazon-apigateway-integration}; an error in an integration's own fields points where the field is
 * written, in {@code components} for a {@code $ref}; a stage variable that a stage does not define points at the
 * uri; a duplicate route points at the later operation.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class OpenApiLoader {
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern PARTITION = Pattern.compile("aws(-[a-z0-9]+)*");

  private final Placeholders placeholders;
  private final List<Stage> stages;

  private OpenApiLoader(Builder builder) {
    String partition = builder.partition;
    if (partition == null && builder.region != null) {
      partition = builder.region.startsWith("cn-") ? "aws-cn"
          : builder.region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }
    this.placeholders = new Placeholders(builder.region, builder.accountId, partition);
    this.stages = List.copyOf(builder.stages);
  }

  /** {@return a new builder: no AWS values, deployed to {@code $default} only} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads and loads a file.
   *
   * @param file a YAML or JSON OpenAPI 3.0 file
   * @return the API it defines
   * @throws InvalidConfigException if the file cannot be read or loaded; its source is the file as given
   *     ({@code file.toString()})
   */
  public ApiDefinition load(Path file) {
    String source = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidConfigException(source, null, "the file does not exist", e);
    } catch (AccessDeniedException e) {
      throw new InvalidConfigException(source, null, "the file cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new InvalidConfigException(source, null, "the file cannot be read: " + e.getMessage(), e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidConfigException(source, null, "the file is not UTF-8 text: expected YAML or JSON in UTF-8", e);
    }
    return parse(text, source);
  }

  /**
   * Loads a file's text held in memory.
   *
   * @param text the YAML or JSON text of an OpenAPI 3.0 file
   * @param sourceName the name errors give as the source; its extension chooses the format as for a file
   * @return the API it defines
   * @throws InvalidConfigException if the text cannot be loaded; its source is {@code sourceName}
   */
  public ApiDefinition parse(String text, String sourceName) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(sourceName, "sourceName");
    String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
    Node document = DocumentReader.read(content, sourceName);
    return new ApiReader(new NodeReader(sourceName, placeholders), stages).read(document);
  }

  /** Builds an {@link OpenApiLoader}; each setter checks its value. */
  public static final class Builder {
    private @Nullable String region;
    private @Nullable String accountId;
    private @Nullable String partition;
    private final List<Stage> stages = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the region that {@code ${AWS::Region}} stands for, and by default the partition.
     *
     * @param region a region name such as {@code eu-west-1}
     * @return this builder
     * @throws InvalidConfigException if the name is not a region name
     */
    public Builder awsRegion(String region) {
      Objects.requireNonNull(region, "region");
      if (!REGION.matcher(region).matches()) {
        throw new InvalidConfigException("awsRegion '" + region + "' is not a region name: expected a name such as "
            + "eu-west-1");
      }
      this.region = region;
      return this;
    }

    /**
     * Sets the account id that {@code ${AWS::AccountId}} stands for.
     *
     * @param accountId a 12-digit AWS account id
     * @return this builder
     * @throws InvalidConfigException if the id is not 12 digits
     */
    public Builder awsAccountId(String accountId) {
      Objects.requireNonNull(accountId, "accountId");
      if (!ACCOUNT_ID.matcher(accountId).matches()) {
        throw new InvalidConfigException("awsAccountId '" + accountId + "' is not an account id: expected 12 digits");
      }
      this.accountId = accountId;
      return this;
    }

    /**
     * Sets the partition that {@code ${AWS::Partition}} stands for. When it is not set, the partition follows
     * the region: {@code aws-cn} for {@code cn-*}, {@code aws-us-gov} for {@code us-gov-*}, {@code aws} for any
     * other region.
     *
     * @param partition a partition such as {@code aws}, {@code aws-cn} or {@code aws-us-gov}
     * @return this builder
     * @throws InvalidConfigException if the name is not a partition name
     */
    public Builder awsPartition(String partition) {
      Objects.requireNonNull(partition, "partition");
      if (!PARTITION.matcher(partition).matches()) {
        throw new InvalidConfigException("awsPartition '" + partition + "' is not a partition name: expected aws, "
            + "aws-cn, aws-us-gov or another aws-* name");
      }
      this.partition = partition;
      return this;
    }

    /**
     * Adds a stage the loaded API is deployed to; without any, it is deployed to {@code $default} only. Stage
     * variables that integration uris use must be defined by every stage.
     *
     * @param stage the stage
     * @return this builder
     * @throws InvalidConfigException if a stage of the same name was added already
     */
    public Builder stage(Stage stage) {
      Objects.requireNonNull(stage, "stage");
      for (Stage added : stages) {
        if (added.name().equals(stage.name())) {
          throw new InvalidConfigException("stage '" + stage.name() + "' is given twice: expected each stage once");
        }
      }
      stages.add(stage);
      return this;
    }

    /** {@return the loader} */
    public OpenApiLoader build() {
      return new OpenApiLoader(this);
    }
  }
}
