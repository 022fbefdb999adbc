/**
 * Loading an API Gateway HTTP API from an OpenAPI 3.0 file (YAML or JSON) with the {@code x-amazon-apigateway-*}
 * extensions, as API Gateway imports one, into a {@link dev.gatelink.config.ApiDefinition}.
 *
 * <p>Starting points: {@link dev.gatelink.openapi.OpenApiLoader#builder()} to set the AWS values and stages a file
 * is loaded with, then {@link dev.gatelink.openapi.OpenApiLoader#load(java.nio.file.Path)}; every problem is an
 * {@link dev.gatelink.config.InvalidConfigException} naming the file and the JSON pointer of the offending field.
 */
@NullMarked
package dev.gatelink.openapi;

import org.jspecify.annotations.NullMarked;
