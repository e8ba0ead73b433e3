package dev.parapet.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What the start of a body that could not be parsed whole says: the AdmissionReview's {@code
 * request.uid}, {@code request.kind} and {@code request.namespace}, read with a streaming parser up
 * to the first problem (a limit, malformed JSON) or the object itself. The API server writes them
 * before the object, so a request that is too large, too deep or broken inside its object still
 * gets an AdmissionReview answer echoing its uid (see {@link RequestParser}), and the policies of
 * its namespace decide, as for any object that could not be checked.
 */
record RequestPrefix(String uid, String kind, String namespace) {
  /** Tokens read at most: the fields wanted come first, so this is plenty. */
  static final int MAX_TOKENS = 10_000;

  static final RequestPrefix NONE = new RequestPrefix(null, null, null);

  /** {@code rejected} about this request when its uid was read, else as it is. */
  RequestParser.Rejected about(RequestParser.Rejected rejected) {
    return uid == null ? rejected : rejected.about(uid, kind == null ? "other" : kind, namespace);
  }

  static RequestPrefix read(byte[] body) {
    var found = new String[5]; // apiVersion, kind, uid, request kind, namespace
    var gvk = new String[3];
    try (var p = RequestParser.MAPPER.createParser(body)) {
      readInto(p, found, gvk);
    } catch (IOException | RuntimeException e) {
      // Stop at the first problem: what was read so far is the answer.
    }
    if (!RequestParser.API_VERSION.equals(found[0])
        || !"AdmissionReview".equals(found[1])
        || found[2] == null
        || found[2].isEmpty()
        || found[2].length() > 128) {
      return NONE;
    }
    String kind = null;
    if (gvk[2] != null) {
      var type =
          RequestParser.KINDS.get((gvk[0] == null ? "" : gvk[0]) + "/" + gvk[1] + "/" + gvk[2]);
      kind = type == null ? "other" : type.getSimpleName();
    }
    return new RequestPrefix(found[2], kind, found[4]);
  }

  private static void readInto(JsonParser p, String[] found, String[] gvk) throws IOException {
    int tokens = 0;
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME && ++tokens < MAX_TOKENS) {
      var field = p.currentName();
      var t = p.nextToken();
      switch (field) {
        case "apiVersion" -> found[0] = t == JsonToken.VALUE_STRING ? p.getText() : null;
        case "kind" -> found[1] = t == JsonToken.VALUE_STRING ? p.getText() : null;
        case "request" -> {
          if (t != JsonToken.START_OBJECT) {
            return;
          }
          while (p.nextToken() == JsonToken.FIELD_NAME && ++tokens < MAX_TOKENS) {
            var f = p.currentName();
            var v = p.nextToken();
            if (f.equals("object") || f.equals("oldObject")) {
              return;
            }
            if (f.equals("uid") && v == JsonToken.VALUE_STRING) {
              found[2] = p.getText();
            } else if (f.equals("namespace") && v == JsonToken.VALUE_STRING) {
              found[4] = p.getText();
            } else if (f.equals("kind") && v == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                var k = p.currentName();
                var kv = p.nextToken();
                var text = kv == JsonToken.VALUE_STRING ? p.getText() : null;
                switch (k) {
                  case "group" -> gvk[0] = text;
                  case "version" -> gvk[1] = text;
                  case "kind" -> gvk[2] = text;
                  default -> p.skipChildren();
                }
              }
            } else {
              p.skipChildren();
            }
          }
          return;
        }
        default -> p.skipChildren();
      }
    }
  }
}
