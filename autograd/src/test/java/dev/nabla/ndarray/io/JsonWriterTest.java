package dev.nabla.ndarray.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** The one JSON writer: whatever it is given, the strict parser reads back the same values. */
class JsonWriterTest {

    @Provide
    Arbitrary<String> strings() {
        // control characters, quotes, backslashes, line/paragraph separators, lone and paired surrogates, any BMP char
        return Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('"', '\\', '/', '\u2028', '\u2029', '\u007f')
                .withCharRange('\ud800', '\udfff').withCharRange(' ', '\uffff').ofMaxLength(12);
    }

    @Provide
    Arbitrary<Object> leaves() {
        Arbitrary<Object> doubles = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.doubles()),
                Tuple.of(3, Arbitraries.longs().map(Double::longBitsToDouble)), // every bit pattern: subnormals, NaN, inf
                Tuple.of(1, Arbitraries.of(0.0, -0.0, 0.1, 1.0, 1e21, 1e-7, 9.999999999999999e20, Double.MIN_VALUE,
                        Double.MAX_VALUE, Double.NaN, Double.NEGATIVE_INFINITY))).map(d -> (Object) d);
        return Arbitraries.oneOf(strings().map(s -> (Object) s), doubles, Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE), Arbitraries.just(null));
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.recursive(this::leaves, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(strings(), inner).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m))), 0, 4);
    }

    @Property(tries = 400)
    void writeThenParseGivesTheSameValues(@ForAll("values") Object value) throws Json.ParseException {
        for (String text : List.of(JsonWriter.write(value), JsonWriter.writeIndented(value))) {
            assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(text), "not encodable as UTF-8: " + text);
            assertSameValue(value, Json.parse(text), text);
        }
        assertTrue(JsonWriter.write(value).indexOf('\n') < 0, "compact output spans lines");
    }

    @Property(tries = 1000)
    void doublesAreTheShortestThatReadBack(@ForAll("anyDouble") double v) {
        String s = JsonWriter.number(v);
        if (!Double.isFinite(v)) {
            assertEquals("null", s);
            return;
        }
        assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(Double.parseDouble(s)), s);
        // no decimal with fewer significant digits reads back as v
        int digits = significantDigits(s);
        if (digits > 1) {
            BigDecimal exact = new BigDecimal(v);
            for (java.math.RoundingMode m : new java.math.RoundingMode[] {java.math.RoundingMode.FLOOR, java.math.RoundingMode.CEILING}) {
                BigDecimal shorter = exact.round(new java.math.MathContext(digits - 1, m));
                assertTrue(Double.parseDouble(shorter.toString()) != v, s + " is not the shortest: " + shorter);
            }
        }
    }

    @Provide
    Arbitrary<Double> anyDouble() {
        return Arbitraries.oneOf(Arbitraries.longs().map(Double::longBitsToDouble), Arbitraries.doubles());
    }

    private static int significantDigits(String s) {
        String mantissa = s.split("e")[0].replace("-", "").replace(".", "");
        return mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "").length();
    }

    @Test
    void numbersAreShortAndReadAsFloatingPoint() {
        assertEquals("0.1", JsonWriter.number(0.1));
        assertEquals("1.0", JsonWriter.number(1.0));
        assertEquals("-0.0", JsonWriter.number(-0.0));
        assertEquals("1.5e-8", JsonWriter.number(1.5e-8));
        assertEquals("1e21", JsonWriter.number(1e21));
        assertEquals("5e-324", JsonWriter.number(Double.MIN_VALUE)); // as JavaScript writes it
        // Java 17's Double.toString gives 2.82879384806159008E17 here: round-trip, but not the shortest
        assertEquals("282879384806159000.0", JsonWriter.number(2.82879384806159E17));
        assertEquals("0.1", JsonWriter.number(0.1f));
        assertEquals("null", JsonWriter.number(Double.NaN));
        assertEquals("[1,2.5,null,\"a\",true,null]",
                JsonWriter.write(java.util.Arrays.asList(1L, 2.5, Double.POSITIVE_INFINITY, "a", true, null)));
    }

    @Test
    void stringsAreFullyEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\\u2028\\ud800x\uD83D\uDE00\"",
                JsonWriter.write("a\"b\\c\n\t\u0001\u001f\u2028\ud800x\uD83D\uDE00"));
        assertEquals("\"\\udc00\\ud800\"", JsonWriter.write("\udc00\ud800")); // reversed pair: two lone surrogates
    }

    @Test
    void valuesWithoutAJsonFormAreRefusedWithTheirPath() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr", new BigDecimal("0.1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(m));
        assertTrue(e.getMessage().contains("$.lr is a java.math.BigDecimal"), e.getMessage());
        Map<Object, Object> k = new LinkedHashMap<>();
        k.put(1, "x");
        e = assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(k));
        assertTrue(e.getMessage().contains("JSON object keys are strings"), e.getMessage());
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        e = assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(cycle));
        assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
    }

    @Test
    void indentedOutputIsOneKeyPerLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "2026-12-02");
        m.put("epochs", 3);
        m.put("data_dir", null);
        assertEquals("{\n  \"model\": \"2026-12-02\",\n  \"epochs\": 3,\n  \"data_dir\": null\n}\n", JsonWriter.writeIndented(m));
    }

    /** {@code parsed} is what the parser must return for {@code written}. */
    private static void assertSameValue(Object written, Object parsed, String text) {
        if (written == null || written instanceof Double && !Double.isFinite((Double) written)) {
            assertSame(Json.NULL, parsed, text);
        } else if (written instanceof Long) {
            assertEquals(written.toString(), ((Json.Num) parsed).text(), text);
        } else if (written instanceof Double) {
            assertEquals(Double.doubleToLongBits((Double) written), Double.doubleToLongBits(((Json.Num) parsed).toDouble()), text);
        } else if (written instanceof String || written instanceof Boolean) {
            assertEquals(written, parsed, text);
        } else if (written instanceof List) {
            List<?> w = (List<?>) written;
            List<?> p = (List<?>) parsed;
            assertEquals(w.size(), p.size(), text);
            for (int i = 0; i < w.size(); i++) {
                assertSameValue(w.get(i), p.get(i), text);
            }
        } else {
            Map<?, ?> w = (Map<?, ?>) written;
            Map<?, ?> p = (Map<?, ?>) parsed;
            assertEquals(new ArrayList<>(w.keySet()), new ArrayList<>(p.keySet()), text);
            for (Object key : w.keySet()) {
                assertSameValue(w.get(key), p.get(key), text);
            }
        }
    }
}
