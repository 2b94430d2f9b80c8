// The Java side of the query-filter differential lane (test/differential/README.md): the released
// upstream classes answer the same questions as src/core/queryfilter, one JSON request per stdin line,
// one JSON answer per stdout line, in order. One long-running process serves a whole run.
//
// Requests ("op"):
//   parse  {"f": filter}                      -> {"ok":true,"s":toString} | {"ok":true,"te":"<toString exception>"}
//                                                | {"ok":false,"k":"<exception class>","m":"<message>"}
//   eval   {"f": filter, "o": "<object JSON>"}  -> {"ok":true,"r":bool} | {"ok":false,"k":...,"m":...}
//   dtoa   {"b": ["<16 hex digits>", ...]}     -> {"s":[Double.toString of each bit pattern]}
//   bench  {"f": [filters], "ms": n}           -> {"perSecond", "perCpuSecond": parses per second (wall, process CPU)}
//   case   {}                                  -> {"upper":[[from,to],...],"lower":[[from,to],...]}
//                                                 every code point whose Character.toUpperCase/toLowerCase differs
//   info   {}                                  -> {"java": java.version, "unicode": Character.UnicodeBlock sample}
//
// Objects are read with OpenIDM's own reader (JsonUtil.parseStringified), as the server reads JSON.

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.forgerock.json.JsonPointer;
import org.forgerock.json.JsonValue;
import org.forgerock.json.resource.QueryFilters;
import org.forgerock.openidm.filter.JsonValueFilterVisitor;
import org.forgerock.openidm.util.JsonUtil;
import org.forgerock.util.query.QueryFilter;

public final class QueryFilterReference {
  // Every non-ASCII character escaped, so that lone surrogates survive the trip as \\uXXXX.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final JsonValueFilterVisitor VISITOR = new JsonValueFilterVisitor();

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
    BufferedWriter out =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    String line;
    while ((line = in.readLine()) != null) {
      ObjectNode answer;
      try {
        answer = handle(JSON.readTree(line));
      } catch (Exception e) {
        answer = JSON.createObjectNode().put("harnessError", e.toString());
      }
      out.write(JSON.writeValueAsString(answer));
      out.write('\n');
      if (!in.ready()) out.flush();
    }
    out.flush();
  }

  private static ObjectNode handle(JsonNode request) throws Exception {
    String op = request.get("op").asText();
    switch (op) {
      case "parse":
        return parse(request.get("f").asText());
      case "eval":
        return eval(request.get("f").asText(), request.get("o").asText());
      case "dtoa":
        return dtoa(request.get("b"));
      case "bench":
        return bench(request.get("f"), request.get("ms").asLong());
      case "case":
        return caseTables();
      case "info":
        return JSON.createObjectNode()
            .put("java", System.getProperty("java.version"))
            .put("vm", System.getProperty("java.vm.name"));
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  private static ObjectNode failure(Throwable e) {
    return JSON.createObjectNode()
        .put("ok", false)
        .put("k", e.getClass().getName())
        .put("m", e.getMessage());
  }

  private static ObjectNode parse(String filter) {
    QueryFilter<JsonPointer> parsed;
    try {
      parsed = QueryFilters.parse(filter);
    } catch (Throwable e) {
      return failure(e);
    }
    ObjectNode answer = JSON.createObjectNode().put("ok", true);
    try {
      answer.put("s", parsed.toString());
    } catch (Throwable e) {
      answer.put("te", e.getClass().getName() + ": " + e.getMessage());
    }
    return answer;
  }

  private static ObjectNode eval(String filter, String objectJson) {
    QueryFilter<JsonPointer> parsed;
    try {
      parsed = QueryFilters.parse(filter);
    } catch (Throwable e) {
      return failure(e);
    }
    JsonValue object = JsonUtil.parseStringified(objectJson);
    try {
      return JSON.createObjectNode().put("ok", true).put("r", parsed.accept(VISITOR, object));
    } catch (Throwable e) {
      return failure(e).put("phase", "eval");
    }
  }

  private static ObjectNode dtoa(JsonNode bits) {
    ArrayNode strings = JSON.createArrayNode();
    for (JsonNode b : bits) {
      strings.add(Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(b.asText(), 16))));
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.set("s", strings);
    return answer;
  }

  // Rates are also given per second of this process's CPU time (all its threads: the garbage collector
  // and the JIT too), so that other processes on a busy machine do not count against either side; the
  // Node side measures its process CPU time the same way.
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /**
   * Where each parsed filter goes, so that the JIT cannot drop the parse. Only a reference is stored:
   * the Node side does nothing with its result either (QueryFilter.hashCode, used before, walked the
   * whole tree and hashed every string, which is work the Node side does not do).
   */
  private static Object lastParsed;

  private static ObjectNode bench(JsonNode filters, long ms) {
    String[] texts = new String[filters.size()];
    for (int i = 0; i < texts.length; i++) texts[i] = filters.get(i).asText();
    long sink = 0;
    long rounds = 0;
    long start = System.nanoTime();
    long cpuStart = OS.getProcessCpuTime();
    long budget = ms * 1_000_000L;
    long elapsed;
    do {
      for (String t : texts) {
        try {
          lastParsed = QueryFilters.parse(t);
        } catch (RuntimeException e) {
          sink++;
        }
      }
      rounds++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < budget);
    long cpu = OS.getProcessCpuTime() - cpuStart;
    return JSON.createObjectNode()
        .put("perSecond", rounds * texts.length / (elapsed / 1e9))
        .put("perCpuSecond", rounds * texts.length / (cpu / 1e9))
        .put("sink", (sink + (lastParsed == null ? 0 : 1)) & 1);
  }

  private static ObjectNode caseTables() {
    ArrayNode upper = JSON.createArrayNode();
    ArrayNode lower = JSON.createArrayNode();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      int u = Character.toUpperCase(cp);
      int l = Character.toLowerCase(cp);
      if (u != cp) upper.add(JSON.createArrayNode().add(cp).add(u));
      if (l != cp) lower.add(JSON.createArrayNode().add(cp).add(l));
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.set("upper", upper);
    answer.set("lower", lower);
    return answer;
  }
}
