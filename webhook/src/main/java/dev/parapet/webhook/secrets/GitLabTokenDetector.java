package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.regex.Pattern;

/** GitLab personal access tokens {@code glpat-} + 20. Controls: boundaries, entropy ≥ 3.0. */
public final class GitLabTokenDetector extends KeywordDetector {
  public static final String ID = "gitlab-token";

  public GitLabTokenDetector() {
    super(
        List.of("glpat-"),
        Pattern.compile("glpat-[A-Za-z0-9_\\-]{20}(?![A-Za-z0-9_\\-])"),
        26,
        "A-Za-z0-9_-",
        20);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "GitLab token";
  }

  @Override
  boolean accept(CharSequence text, int start, int end) {
    return !Placeholders.isPlaceholder(text, start, end)
        && Entropy.bitsPerChar(text, start + 6, end) >= 3.0;
  }

  @Override
  String redact(CharSequence text, int start, int end) {
    return Redactor.prefixOnly(text, start, end, 6);
  }
}
