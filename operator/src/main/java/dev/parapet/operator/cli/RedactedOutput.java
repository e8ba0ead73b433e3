package dev.parapet.operator.cli;

import dev.parapet.webhook.secrets.Redactor;
import java.io.PrintStream;

/**
 * Every line the CLI prints goes through here, so through the one {@link Redactor}: findings,
 * verdicts, progress and error messages (which may quote SDK errors or file content).
 */
final class RedactedOutput {
  private RedactedOutput() {}

  /** For text that is cut before it is printed: redacted first, so no cut leaves a fragment. */
  static String redact(String text) {
    return Redactor.redact(text);
  }

  static void print(PrintStream to, String text) {
    to.print(Redactor.redact(text));
  }

  static void println(PrintStream to, String text) {
    to.println(Redactor.redact(text));
  }

  static void printf(PrintStream to, String format, Object... args) {
    to.print(Redactor.redact(String.format(format, args)));
  }
}
