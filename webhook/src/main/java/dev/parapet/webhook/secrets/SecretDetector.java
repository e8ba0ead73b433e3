package dev.parapet.webhook.secrets;

import java.util.List;

/** One credential format: a cheap keyword prefilter, then pattern + entropy + allowlist. */
public interface SecretDetector {

  /** Stable id used in policies ({@code credentials.detectors}) and metrics. */
  String id();

  /** Human name of the credential, used in messages. */
  String title();

  /**
   * True when {@code text} (found under {@code name}, e.g. an env var name, may be null) might hold
   * this credential. Must be cheap; {@link #scan} is only called when it is true.
   */
  boolean prefilter(String name, String text, ScanHints hints);

  /** Appends every credential of this format in {@code text} to {@code out}. */
  void scan(String name, String text, ScanHints hints, List<SecretMatch> out);
}
