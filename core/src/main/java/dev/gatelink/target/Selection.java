package dev.gatelink.target;

/**
 * What a target decides for one request: an {@link Endpoint} to send it to, or a {@link DirectResponse} that
 * answers it without calling a backend (an ALB rule's fixed response or redirect).
 */
public sealed interface Selection permits Endpoint, DirectResponse {}
