package vn.hocbaso.dss;

import java.util.ArrayList;
import java.util.List;

/** The little JSON the reports need (strings, null, string arrays); escaping per RFC 8259 section 7. */
final class Json {
  private Json() {}

  static String field(String name, String value) {
    return str(name) + ":" + str(value);
  }

  static String strings(List<String> values) {
    List<String> quoted = new ArrayList<>();
    for (String v : values) quoted.add(str(v));
    return "[" + String.join(",", quoted) + "]";
  }

  static String str(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
