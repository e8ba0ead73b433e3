package dev.parapet.operator.cli;

/** The application version, from the jar manifest when packaged. */
final class Versions {
  private Versions() {}

  static String parapet() {
    var v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
