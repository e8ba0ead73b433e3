package dev.parapet.operator.aws.engine;

import java.time.Instant;

/** The exemption that suppressed a FAIL: its name, reason and expiry (null = none). */
public record Suppression(String exemption, String reason, Instant expiresAt) {}
