package dev.parapet.webhook.policy;

/** A forbidden port or inclusive range; {@code protocol} null means every protocol. */
public record PortRule(int port, int endPort, String protocol) {
  public PortRule {
    if (endPort < port) {
      endPort = port;
    }
  }

  public static PortRule of(int port) {
    return new PortRule(port, port, null);
  }

  public boolean matches(int p, String proto) {
    return p >= port && p <= endPort && (protocol == null || protocol.equalsIgnoreCase(proto));
  }

  /** E.g. {@code 22/TCP}, {@code 2379-2380/any}. */
  public String describe() {
    return (endPort == port ? String.valueOf(port) : port + "-" + endPort)
        + "/"
        + (protocol == null ? "any" : protocol);
  }
}
