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
  boolean prefilter(String name, CharSequence text, ScanHints hints);

  /** Appends every credential of this format in {@code text} to {@code out}. */
  void scan(String name, CharSequence text, ScanHints hints, List<SecretMatch> out);

  /**
   * Literal keywords (token prefixes) that anchor this detector; the scanner finds them for every
   * detector in one pass over a text and calls {@link #scanAt} at each occurrence. Empty for
   * detectors that are not keyword-anchored.
   */
  default List<String> keywords() {
    return List.of();
  }

  /** Checks the keyword occurrence at {@code at}; appends a match if a credential starts there. */
  default void scanAt(CharSequence text, int at, List<SecretMatch> out) {}
}
