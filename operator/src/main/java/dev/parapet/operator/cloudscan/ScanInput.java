package dev.parapet.operator.cloudscan;

import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.operator.policy.EffectivePolicy;
import dev.parapet.operator.scan.ScanCredentials;

/** Everything one scan needs: the account spec, resolved credentials and the merged policy. */
public record ScanInput(
    String namespace,
    String name,
    CloudAccountSpec spec,
    ScanCredentials credentials,
    EffectivePolicy policy) {}
