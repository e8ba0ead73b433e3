package dev.parapet.operator.aws.rules.cloudwatch;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A CloudWatch Logs JSON metric filter pattern ({@code { ($.eventName = "X") || ... }}), parsed and
 * evaluated against JSON log events given as flat maps ({@code "userIdentity.type" -> "Root"}). The
 * CIS 4.x rules never compare pattern text: they evaluate the pattern a metric filter carries on
 * sample CloudTrail events, so spacing, quoting, term order and parentheses do not matter, and a
 * pattern that is broader or narrower than the benchmark's shows on the samples.
 *
 * <p>Supported: {@code &&} (binds tighter), {@code ||}, parentheses, {@code =} and {@code !=} on
 * strings (quoted or bare, {@code *} as a wildcard) and numbers, {@code < <= > >=} on numbers,
 * {@code EXISTS}, {@code NOT EXISTS}, {@code IS NULL}, {@code IS TRUE}, {@code IS FALSE}. A
 * comparison on a property the event lacks does not match. Anything else is a {@link
 * IllegalArgumentException} naming the position.
 */
public final class FilterPattern {

  /** A JSON null in a sample event. */
  public static final Object NULL = new Object();

  private final Node root;

  private FilterPattern(Node root) {
    this.root = root;
  }

  /** Parses a JSON filter pattern; throws {@link IllegalArgumentException} when it is not one. */
  public static FilterPattern parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no pattern");
    }
    var p = new Parser(text);
    p.skip();
    p.expect("{");
    var node = p.or();
    p.expect("}");
    p.skip();
    if (!p.done()) {
      throw p.error("text after the closing brace");
    }
    return new FilterPattern(node);
  }

  public boolean matches(Map<String, Object> event) {
    return root.eval(event);
  }

  private interface Node {
    boolean eval(Map<String, Object> event);
  }

  private record And(Node left, Node right) implements Node {
    public boolean eval(Map<String, Object> e) {
      return left.eval(e) && right.eval(e);
    }
  }

  private record Or(Node left, Node right) implements Node {
    public boolean eval(Map<String, Object> e) {
      return left.eval(e) || right.eval(e);
    }
  }

  private record Test(String path, String op, String value, boolean quoted) implements Node {
    public boolean eval(Map<String, Object> e) {
      var present = e.containsKey(path);
      var v = e.get(path);
      switch (op) {
        case "EXISTS":
          return present;
        case "NOT EXISTS":
          return !present;
        case "IS NULL":
          return present && v == NULL;
        case "IS TRUE":
          return Boolean.TRUE.equals(v);
        case "IS FALSE":
          return Boolean.FALSE.equals(v);
        default:
          break;
      }
      if (!present || v == NULL || v == null) {
        return false;
      }
      var actual = String.valueOf(v);
      var number = quoted ? null : number(value);
      if (op.equals("=") || op.equals("!=")) {
        boolean equal;
        if (number != null && number(actual) != null) {
          equal = number.compareTo(number(actual)) == 0;
        } else {
          equal = glob(value).matcher(actual).matches();
        }
        return op.equals("=") == equal;
      }
      var a = number(actual);
      if (number == null || a == null) {
        return false;
      }
      var c = a.compareTo(number);
      return switch (op) {
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        default -> false;
      };
    }

    private static BigDecimal number(String s) {
      try {
        return new BigDecimal(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private static Pattern glob(String value) {
      var parts = value.split("\\*", -1);
      var out = new StringBuilder();
      for (int k = 0; k < parts.length; k++) {
        if (k > 0) {
          out.append(".*");
        }
        out.append(Pattern.quote(parts[k]));
      }
      return Pattern.compile(out.toString(), Pattern.DOTALL);
    }
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    boolean done() {
      return i >= s.length();
    }

    void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    boolean peek(String token) {
      skip();
      return s.startsWith(token, i);
    }

    void expect(String token) {
      if (!peek(token)) {
        throw error("expected '" + token + "'");
      }
      i += token.length();
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at position " + i + " of: " + s);
    }

    Node or() {
      var left = and();
      while (peek("||")) {
        i += 2;
        left = new Or(left, and());
      }
      return left;
    }

    Node and() {
      var left = unary();
      while (peek("&&")) {
        i += 2;
        left = new And(left, unary());
      }
      return left;
    }

    Node unary() {
      if (peek("(")) {
        i++;
        var node = or();
        expect(")");
        return node;
      }
      return test();
    }

    Node test() {
      expect("$.");
      var start = i;
      while (i < s.length()
          && (Character.isLetterOrDigit(s.charAt(i)) || "_.-[]".indexOf(s.charAt(i)) >= 0)) {
        i++;
      }
      if (start == i) {
        throw error("expected a property after '$.'");
      }
      var path = s.substring(start, i);
      skip();
      for (var keyword : List.of("NOT EXISTS", "EXISTS", "IS NULL", "IS TRUE", "IS FALSE")) {
        if (s.regionMatches(true, i, keyword, 0, keyword.length())) {
          i += keyword.length();
          return new Test(path, keyword, null, false);
        }
      }
      String op = null;
      for (var candidate : List.of("!=", "<=", ">=", "=", "<", ">")) {
        if (s.startsWith(candidate, i)) {
          op = candidate;
          break;
        }
      }
      if (op == null) {
        throw error("expected an operator after $." + path);
      }
      i += op.length();
      skip();
      if (i < s.length() && s.charAt(i) == '"') {
        return new Test(path, op, quoted(), true);
      }
      var vstart = i;
      while (i < s.length()
          && !Character.isWhitespace(s.charAt(i))
          && ")}".indexOf(s.charAt(i)) < 0
          && !s.startsWith("&&", i)
          && !s.startsWith("||", i)) {
        i++;
      }
      if (vstart == i) {
        throw error("expected a value after $." + path + " " + op);
      }
      return new Test(path, op, s.substring(vstart, i), false);
    }

    String quoted() {
      i++; // opening quote
      var out = new StringBuilder();
      while (i < s.length() && s.charAt(i) != '"') {
        var c = s.charAt(i++);
        if (c == '\\' && i < s.length()) {
          c = s.charAt(i++);
        }
        out.append(c);
      }
      if (i >= s.length()) {
        throw error("unterminated string");
      }
      i++;
      return out.toString();
    }
  }

  /** Samples for tests and rules: a flat event from alternating keys and values. */
  public static Map<String, Object> event(Object... keyValues) {
    var m = new java.util.LinkedHashMap<String, Object>();
    for (int k = 0; k + 1 < keyValues.length; k += 2) {
      m.put((String) keyValues[k], keyValues[k + 1]);
    }
    return m;
  }
}
