package dev.nabla.nn.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Json;
import dev.nabla.ndarray.io.Safetensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch-written fixtures in {@code src/test/resources/dev/nabla/nn/torch} (see the README
 * there): the model list of {@code models.json} and the safetensors files.
 */
final class TorchFixtures {
    private TorchFixtures() {}

    /** One tensor of {@code models.json}: dtype name (as PyTorch's, e.g. "float64") and shape. */
    record Spec(String dtype, int[] shape) {}

    static Path path(String file) {
        URL u = TorchFixtures.class.getResource("/dev/nabla/nn/torch/" + file);
        if (u == null) {
            throw new IllegalStateException("test resource dev/nabla/nn/torch/" + file + " is missing");
        }
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every model's entry of {@code models.json}, by name, in file order. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> models() throws IOException {
        Object json;
        try {
            json = Json.parse(Files.readString(path("models.json")));
        } catch (Json.ParseException e) {
            throw new IllegalStateException("models.json: " + e.getMessage(), e);
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object o : (List<Object>) json) {
            Map<String, Object> m = (Map<String, Object>) o;
            out.put((String) m.get("name"), m);
        }
        return out;
    }

    /** A model's {@code state_dict} (or {@code io}) entries in the order PyTorch wrote them. */
    @SuppressWarnings("unchecked")
    static Map<String, Spec> specs(Map<String, Object> model, String field) {
        Map<String, Spec> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) model.get(field)).entrySet()) {
            List<Object> v = (List<Object>) e.getValue();
            List<Object> dims = (List<Object>) v.get(1);
            int[] shape = new int[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = (int) ((Json.Num) dims.get(i)).toDouble();
            }
            out.put(e.getKey(), new Spec((String) v.get(0), shape));
        }
        return out;
    }

    /** A whole float-only safetensors fixture, through Nabla's own reader. */
    static Map<String, NDArray> load(String file) throws IOException {
        return Safetensors.load(path(file));
    }

    /** Asserts equal shapes and every element within {@code tol} (absolute), naming the worst element. */
    static void assertClose(NDArray expected, NDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toArray();
        double[] a = actual.toArray();
        int worst = 0;
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]);
            if (!(d <= max)) {
                max = d;
                worst = i;
            }
        }
        assertTrue(max <= tol, what + ": element " + worst + " differs by " + max + " (expected " + e[worst] + ", got "
                + a[worst] + ")");
    }

    /** The keys of {@code m} as a list, in iteration order. */
    static List<String> keys(Map<String, ?> m) {
        return new ArrayList<>(m.keySet());
    }
}
