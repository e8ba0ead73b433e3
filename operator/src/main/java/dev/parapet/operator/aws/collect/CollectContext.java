package dev.parapet.operator.aws.collect;

/**
 * What a collector gets: the session's clients, the verified account id, and the region ({@code
 * global} for global datasets; call global services through {@link AwsSession#homeRegion()}).
 */
public record CollectContext(AwsSession session, String accountId, String region) {}
