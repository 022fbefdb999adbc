/**
 * The public configuration model: {@link dev.gatelink.config.ApiDefinition} (routes, stages, CORS),
 * {@link dev.gatelink.config.Integration} (where a route's requests go, with its parameter mappings) and
 * {@link dev.gatelink.config.Stage} (with its {@link dev.gatelink.config.AccessLogSettings}). Every value is immutable and checked when built; problems are
 * {@link dev.gatelink.config.InvalidConfigException}s that name the offending text.
 *
 * <p>Starting points: {@link dev.gatelink.config.ApiDefinition#builder()}, or
 * {@code dev.gatelink.openapi.OpenApiLoader} to read an OpenAPI file.
 */
@NullMarked
package dev.gatelink.config;

import org.jspecify.annotations.NullMarked;
