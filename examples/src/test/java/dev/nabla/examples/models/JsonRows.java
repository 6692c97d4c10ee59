package dev.nabla.examples.models;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses one flat metrics.jsonl row (numbers and null) strictly, for tests. */
final class JsonRows {
    private JsonRows() {}

    static Map<String, Double> parse(String line) {
        if (!line.startsWith("{") || !line.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON object: " + line);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        String body = line.substring(1, line.length() - 1);
        for (String pair : body.split(",")) {
            int colon = pair.indexOf(':');
            String key = pair.substring(0, colon);
            if (!key.startsWith("\"") || !key.endsWith("\"")) {
                throw new IllegalArgumentException("bad key " + key + " in " + line);
            }
            String v = pair.substring(colon + 1);
            out.put(key.substring(1, key.length() - 1), v.equals("null") ? Double.NaN : Double.parseDouble(v));
        }
        return out;
    }
}
