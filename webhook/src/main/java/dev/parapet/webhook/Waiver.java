package dev.parapet.webhook;

import java.time.Instant;

/**
 * The exception that waives a violation: its name within its policy ({@code exceptions[i]} when it
 * has none), its reason, and when it expires (null = never).
 */
public record Waiver(String name, String reason, Instant expiresAt) {}
