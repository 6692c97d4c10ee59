package dev.nabla.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.nabla.ndarray.io.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bench line is JSON the strict parser reads, whatever the strings in it hold. */
class ResultJsonTest {
    @Test
    void aBenchLineParsesWithItsFiguresRoundedToSixDigits() throws Exception {
        Measure.Samples s = new Measure.Samples(new double[] {1.23456789, 2.0, Double.NaN}, new double[] {1, 1, 1}, 4);
        Result r = new Result("W1", "mlp \"wide\"\\n\ttabs", 2, s, 100, "sample", true, 0, "blocked");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.json());
        assertEquals("mlp \"wide\"\\n\ttabs", m.get("config"));
        assertEquals("2", ((Json.Num) m.get("threads")).text());
        assertEquals("2.0", ((Json.Num) m.get("median_ms")).text());
        List<?> samples = (List<?>) m.get("samples_ms");
        assertEquals("1.23457", ((Json.Num) samples.get(0)).text());
        assertSame(Json.NULL, samples.get(2));
    }
}
