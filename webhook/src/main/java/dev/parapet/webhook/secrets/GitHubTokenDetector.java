package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * GitHub tokens: classic {@code ghp_/gho_/ghu_/ghs_/ghr_} + 36 alphanumerics, and fine-grained
 * {@code github_pat_} + 82. Controls: word boundaries, body entropy ≥ 3.0 bits/char, placeholders.
 */
public final class GitHubTokenDetector extends KeywordDetector {
  public static final String ID = "github-token";

  public GitHubTokenDetector() {
    super(
        List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        Pattern.compile(
            "(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])"),
        93,
        "A-Za-z0-9_",
        36);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "GitHub token";
  }

  @Override
  boolean accept(CharSequence text, int start, int end) {
    int body = Chars.startsWith(text, "github_pat_", start) ? start + 11 : start + 4;
    return !Placeholders.isPlaceholder(text, start, end)
        && Entropy.bitsPerChar(text, body, end) >= 3.0;
  }

  @Override
  String redact(CharSequence text, int start, int end) {
    return Redactor.prefixOnly(
        text, start, end, Chars.startsWith(text, "github_pat_", start) ? 11 : 4);
  }
}
