package dev.nabla.ndarray.io;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Reads and writes the safetensors format, so that checkpoints are portable (Python's
 * {@code safetensors} and PyTorch read them) and safe to load (no code execution, every offset
 * checked).
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8
 * JSON, {@code {"name": {"dtype": "F64", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}, padded with spaces to a multiple of 8; then the data section,
 * raw little-endian element bytes, with offsets relative to its start. Tensors are written as the
 * reference implementation ({@code safetensors.torch.save_file}) writes them: by dtype, widest
 * first in the format's own dtype order (I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL), then by
 * the byte order of their UTF-8 names; metadata first. A file PyTorch wrote this way loads and
 * saves back byte for byte.
 *
 * <p>Dtypes: F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL load as the {@link DType} of the
 * same name and save from it, bit for bit (half dtypes keep their bit patterns; INT64 keeps every
 * value); a BOOL element is one byte, 0 or 1, and any other byte is refused. The format's other
 * dtypes (unsigned 16-64 bit, 8-bit floats, complex) are refused with a message.
 *
 * <p>Writes are atomic, through {@link AtomicFiles}: the file is written beside the target under a
 * fresh temporary name (never through a symbolic link), flushed to disk and renamed over the
 * target, so a crash or an exception leaves the previous file intact; orphans of killed writers are
 * removed on the next save of the same file. Stateless and thread-safe.
 * Loading validates the header length, the JSON, each dtype and shape, and that the offsets are in
 * bounds, do not overlap and cover the data section exactly; a malformed file raises a
 * {@link SafetensorsException} naming the file, the tensor and the problem.
 * Stateless and thread-safe: reads share nothing, and writes go through uniquely named temporary
 * files.
 */
public final class Safetensors {
    /** Largest header accepted on load (the reference implementation's limit): 100 MB. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK = 1 << 16;

    /** Every dtype name the format defines, with its element size in bits; those with a {@link DType} are read. */
    private static final Map<String, Integer> KNOWN_DTYPE_BITS = knownDtypes();

    private Safetensors() {}

    private static Map<String, Integer> knownDtypes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String d : new String[] {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0"}) {
            m.put(d, 8);
        }
        for (String d : new String[] {"I16", "U16", "F16", "BF16"}) {
            m.put(d, 16);
        }
        for (String d : new String[] {"I32", "U32", "F32"}) {
            m.put(d, 32);
        }
        for (String d : new String[] {"I64", "U64", "F64", "C64"}) {
            m.put(d, 64);
        }
        m.put("F4", 4);
        m.put("F6_E2M3", 6);
        m.put("F6_E3M2", 6);
        return Collections.unmodifiableMap(m);
    }

    // ================================================================== save

    /** Saves {@code tensors} (each in its own dtype) with no metadata; see {@link #save(Path, Map, Map)}. */
    public static void save(Path path, Map<String, NDArray> tensors) throws IOException {
        save(path, tensors, null);
    }

    /**
     * Atomically writes {@code tensors} (each as its dtype's {@link DType#safetensorsName()}) and the optional string {@code metadata} to
     * {@code path} through {@link AtomicFiles}: a fresh temporary file in the same directory (never
     * opened through a symbolic link), forced to disk and renamed over {@code path}; stale temporary
     * files of killed writers are removed. If anything fails, the temporary file is removed and an
     * existing file at {@code path} is left untouched.
     *
     * @param metadata free-form string pairs stored under {@code "__metadata__"}; null or empty for none
     * @throws IllegalArgumentException for a null or reserved tensor name, a null array or null metadata entry
     */
    public static void save(Path path, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        save(path, tensors, metadata, null);
    }

    /** {@link #save(Path, Map, Map)} with a hook told the running byte count after each chunk (tests use it to fail mid-write). */
    static void save(Path path, Map<String, NDArray> tensors, Map<String, String> metadata, LongConsumer progress)
            throws IOException {
        if (path == null || tensors == null) {
            throw new IllegalArgumentException("Safetensors.save: path and tensors must not be null");
        }
        // Validate and lay out everything before touching the disk.
        List<Map.Entry<byte[], NDArray>> entries = sortedEntries(path, tensors);
        byte[] header = headerBytes(path, entries, metadata);

        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new IOException("Safetensors.save: '" + path + "' is a directory; give a file name such as model.safetensors");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("Safetensors.save: the directory of '" + path + "' does not exist; create it first");
        }
        // the one atomic writer of the project: fresh temp file, no link following, fsync, rename
        AtomicFiles.writeChannel(target, ch -> writeAll(ch, header, entries, progress));
    }

    private static List<Map.Entry<byte[], NDArray>> sortedEntries(Path path, Map<String, NDArray> tensors) {
        List<Map.Entry<byte[], NDArray>> entries = new ArrayList<>(tensors.size());
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new IllegalArgumentException("Safetensors.save: '" + path + "': a tensor name is null");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("Safetensors.save: '" + path + "': the tensor name '" + METADATA_KEY
                        + "' is reserved for metadata; rename the tensor");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("Safetensors.save: '" + path + "': tensor '" + name + "' is null");
            }
            entries.add(Map.entry(utf8(path, "tensor name", name), e.getValue()));
        }
        entries.sort(Comparator.<Map.Entry<byte[], NDArray>>comparingInt(e -> -formatOrder(e.getValue().dtype()))
                .thenComparing(Map.Entry::getKey, Arrays::compareUnsigned));
        return entries;
    }

    /** The position of a dtype in the safetensors crate's {@code Dtype} enum, which orders the tensors of a file (widest first). */
    private static int formatOrder(DType t) {
        switch (t) {
            case BOOL: return 0;
            case UINT8: return 1;
            case INT8: return 2;
            case INT16: return 3;
            case FLOAT16: return 4;
            case BFLOAT16: return 5;
            case INT32: return 6;
            case FLOAT32: return 7;
            case FLOAT64: return 8;
            default: return 9; // INT64
        }
    }

    private static byte[] headerBytes(Path path, List<Map.Entry<byte[], NDArray>> entries, Map<String, String> metadata) {
        StringBuilder h = new StringBuilder("{");
        boolean first = true;
        if (metadata != null && !metadata.isEmpty()) {
            h.append('"').append(METADATA_KEY).append("\":{");
            Map<String, String> sorted = new TreeMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("Safetensors.save: '" + path + "': metadata entry "
                            + e.getKey() + "=" + e.getValue() + " has a null key or value");
                }
                utf8(path, "metadata entry", e.getKey());
                utf8(path, "metadata entry", e.getValue());
                sorted.put(e.getKey(), e.getValue());
            }
            boolean firstMeta = true;
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                if (!firstMeta) {
                    h.append(',');
                }
                firstMeta = false;
                Json.writeString(h, e.getKey());
                h.append(':');
                Json.writeString(h, e.getValue());
            }
            h.append('}');
            first = false;
        }
        long offset = 0;
        for (Map.Entry<byte[], NDArray> e : entries) {
            if (!first) {
                h.append(',');
            }
            first = false;
            NDArray a = e.getValue();
            Json.writeString(h, new String(e.getKey(), StandardCharsets.UTF_8));
            h.append(":{\"dtype\":\"").append(a.dtype().safetensorsName()).append("\",\"shape\":[");
            int[] shape = a.shape();
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) {
                    h.append(',');
                }
                h.append(shape[i]);
            }
            long end = offset + (long) a.dtype().itemSize() * a.size();
            h.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        h.append('}');
        byte[] json = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("Safetensors.save: '" + path + "': the header would be " + padded
                    + " bytes, over the " + MAX_HEADER_BYTES + "-byte limit readers enforce; use fewer tensors or less metadata");
        }
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static byte[] utf8(Path path, String what, String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Safetensors.save: '" + path + "': " + what + " '" + s
                    + "' is not valid Unicode (unpaired surrogate); it cannot be stored as UTF-8");
        }
    }

    private static void writeAll(FileChannel ch, byte[] header, List<Map.Entry<byte[], NDArray>> entries,
            LongConsumer progress) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long[] written = {0};
        buf.putLong(header.length);
        int hp = 0;
        while (hp < header.length) {
            int n = Math.min(buf.remaining(), header.length - hp);
            buf.put(header, hp, n);
            hp += n;
            if (!buf.hasRemaining()) {
                flush(ch, buf, written, progress);
            }
        }
        for (Map.Entry<byte[], NDArray> e : entries) {
            NDArray a = e.getValue();
            int n = a.size();
            DType t = a.dtype();
            int elem = t.itemSize();
            short[] bits = t == DType.FLOAT16 || t == DType.BFLOAT16 ? a.toRawShorts() : null;
            byte[] bytes = elem == 1 ? a.toRawBytes() : null;
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < elem) {
                    flush(ch, buf, written, progress);
                }
                switch (t) {
                    case FLOAT64: buf.putDouble(a.getFlat(i)); break;
                    case FLOAT32: buf.putFloat((float) a.getFlat(i)); break; // exact: the value is a float32 widened
                    case INT64: buf.putLong(a.getFlatLong(i)); break;
                    case INT32: buf.putInt((int) a.getFlatLong(i)); break;
                    case INT16: buf.putShort((short) a.getFlatLong(i)); break;
                    case FLOAT16: case BFLOAT16: buf.putShort(bits[i]); break;
                    default: buf.put(bytes[i]); break; // INT8, UINT8, BOOL (0 or 1)
                }
            }
        }
        flush(ch, buf, written, progress);
    }

    private static void flush(FileChannel ch, ByteBuffer buf, long[] written, LongConsumer progress) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            written[0] += ch.write(buf);
        }
        buf.clear();
        if (progress != null) {
            progress.accept(written[0]);
        }
    }

    // ================================================================== load

    /**
     * Loads every tensor of a safetensors file, in sorted key order, each in the {@link DType} of
     * its safetensors dtype (F64 as FLOAT64, I64 as INT64, BF16 as BFLOAT16, ...), bit for bit (use
     * {@link NDArray#astype} to convert). A dtype Nabla lacks, a BOOL byte other than 0 or 1, and
     * any malformed file raise a
     * {@link SafetensorsException} naming the file, the tensor and the problem.
     */
    public static Map<String, NDArray> load(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Header header = readHeader(path, ch);
            long largest = 0;
            for (TensorEntry t : header.tensors) {
                largest = Math.max(largest, t.end - t.begin);
            }
            // one read buffer for the whole file, never larger than its largest tensor: memory follows the bytes
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, largest)).order(ByteOrder.LITTLE_ENDIAN);
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (TensorEntry t : header.tensors) {
                out.put(t.name, readTensor(path, ch, header.dataStart, t, buf));
            }
            return out;
        }
    }

    /** The {@code "__metadata__"} string pairs of a safetensors file (empty when it has none), after validating the whole header. */
    public static Map<String, String> loadMetadata(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return readHeader(path, ch).metadata;
        }
    }

    /** One tensor's header entry, validated. */
    private static final class TensorEntry {
        final String name;
        final DType dtype;
        final int[] shape;
        final int count;
        final long begin;
        final long end;

        TensorEntry(String name, DType dtype, int[] shape, int count, long begin, long end) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.count = count;
            this.begin = begin;
            this.end = end;
        }
    }

    /** A validated header: tensors in sorted key order, metadata and where the data section starts. */
    private static final class Header {
        final List<TensorEntry> tensors;
        final Map<String, String> metadata;
        final long dataStart;

        Header(List<TensorEntry> tensors, Map<String, String> metadata, long dataStart) {
            this.tensors = tensors;
            this.metadata = metadata;
            this.dataStart = dataStart;
        }
    }

    private static SafetensorsException fail(Path path, String what) {
        return new SafetensorsException("Safetensors.load: file '" + path + "': " + what);
    }

    private static SafetensorsException fail(Path path, String tensor, String what) {
        return new SafetensorsException("Safetensors.load: file '" + path + "': tensor '" + tensor + "': " + what);
    }

    private static Header readHeader(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw fail(path, "the file is " + size + " bytes, too short to hold the 8-byte header length "
                    + "(truncated or not a safetensors file)");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(path, ch, lenBuf, 0);
        long n = lenBuf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw fail(path, "header length " + Long.toUnsignedString(n) + " is over the " + MAX_HEADER_BYTES
                    + "-byte limit (corrupt header length, or not a safetensors file)");
        }
        if (n > size - 8) {
            throw fail(path, "header length " + n + " exceeds the " + (size - 8)
                    + " bytes that follow it (truncated file or corrupt header length)");
        }
        if (n < 2) {
            throw fail(path, "header length " + n + " is too small to hold a JSON object (corrupt header length)");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(path, ch, hb, 8);
        hb.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(hb).toString();
        } catch (CharacterCodingException e) {
            throw fail(path, "the " + n + "-byte header is not valid UTF-8 (corrupt header or header length)");
        }
        if (text.charAt(0) != '{') {
            throw fail(path, "the header does not start with '{' (corrupt header length, or not a safetensors file)");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.ParseException e) {
            throw fail(path, "the header is not well-formed JSON: " + e.getMessage());
        }
        if (!(root instanceof Map)) {
            throw fail(path, "the header is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorEntry> tensors = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            String name = (String) e.getKey();
            checkUnicode(path, "tensor name", name);
            if (name.equals(METADATA_KEY)) {
                readMetadata(path, e.getValue(), metadata);
            } else {
                tensors.add(entry(path, name, e.getValue()));
            }
        }
        checkLayout(path, tensors, dataLen);
        tensors.sort(Comparator.comparing(t -> t.name.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return new Header(tensors, Collections.unmodifiableMap(metadata), dataStart);
    }

    private static void readMetadata(Path path, Object value, Map<String, String> out) throws SafetensorsException {
        if (!(value instanceof Map)) {
            throw fail(path, "\"" + METADATA_KEY + "\" must be a JSON object of strings but is " + kind(value));
        }
        for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
            if (!(m.getValue() instanceof String)) {
                throw fail(path, "metadata entry \"" + m.getKey() + "\" must be a string but is " + kind(m.getValue()));
            }
            checkUnicode(path, "metadata key", (String) m.getKey());
            checkUnicode(path, "metadata value of \"" + m.getKey() + "\"", (String) m.getValue());
            out.put((String) m.getKey(), (String) m.getValue());
        }
    }

    private static TensorEntry entry(Path path, String name, Object value) throws SafetensorsException {
        if (!(value instanceof Map)) {
            throw fail(path, name, "the header entry must be a JSON object with dtype, shape and data_offsets but is "
                    + kind(value));
        }
        Map<?, ?> m = (Map<?, ?>) value;
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw fail(path, name, "unexpected field \"" + k + "\" (expected only dtype, shape, data_offsets)");
            }
        }
        Object dtypeV = m.get("dtype");
        if (!(dtypeV instanceof String)) {
            throw fail(path, name, dtypeV == null ? "missing \"dtype\"" : "\"dtype\" must be a string but is " + kind(dtypeV));
        }
        String dtype = (String) dtypeV;
        DType dt = DType.fromSafetensorsName(dtype);
        if (dt == null) {
            if (KNOWN_DTYPE_BITS.containsKey(dtype)) {
                throw fail(path, name, "dtype " + dtype + " is not supported: Nabla reads F64, F32, F16, BF16, I64, I32, "
                        + "I16, I8, U8 and BOOL (convert the tensor to one of them before saving it)");
            }
            throw fail(path, name, "unknown dtype \"" + dtype + "\" (the format defines " + KNOWN_DTYPE_BITS.keySet() + ")");
        }
        long[] shapeL = naturals(path, name, "shape", m.get("shape"));
        long[] offsets = naturals(path, name, "data_offsets", m.get("data_offsets"));
        if (offsets.length != 2) {
            throw fail(path, name, "\"data_offsets\" must be [begin, end] but has " + offsets.length + " entries");
        }
        if (offsets[1] < offsets[0]) {
            throw fail(path, name, "data_offsets [" + offsets[0] + ", " + offsets[1] + "] end before they begin");
        }
        int[] shape = new int[shapeL.length];
        long count = 1;
        boolean empty = false;
        for (long d : shapeL) {
            empty |= d == 0;
        }
        for (int i = 0; i < shapeL.length; i++) {
            if (shapeL[i] > Integer.MAX_VALUE) {
                throw fail(path, name, "dimension " + i + " of shape " + Arrays.toString(shapeL) + " is too large for an NDArray");
            }
            shape[i] = (int) shapeL[i];
            count = empty ? 0 : count * shapeL[i]; // with a zero dimension the product is 0, whatever the others
            if (count > Integer.MAX_VALUE) {
                throw fail(path, name, "shape " + Arrays.toString(shapeL) + " has more than 2^31-1 elements, more than an NDArray holds");
            }
        }
        long bytes = count * dt.itemSize();
        long span = offsets[1] - offsets[0];
        if (bytes != span) {
            throw fail(path, name, "shape " + Arrays.toString(shapeL) + " of " + dtype + " needs " + bytes
                    + " bytes but data_offsets [" + offsets[0] + ", " + offsets[1] + "] span " + span + " bytes");
        }
        return new TensorEntry(name, dt, shape, (int) count, offsets[0], offsets[1]);
    }

    private static long[] naturals(Path path, String name, String field, Object v) throws SafetensorsException {
        if (v == null) {
            throw fail(path, name, "missing \"" + field + "\"");
        }
        if (!(v instanceof List)) {
            throw fail(path, name, "\"" + field + "\" must be an array of non-negative integers but is " + kind(v));
        }
        List<?> list = (List<?>) v;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object x = list.get(i);
            long n = x instanceof Json.Num ? ((Json.Num) x).asNonNegativeLong() : -1;
            if (n < 0) {
                throw fail(path, name, "\"" + field + "\" entry " + i + " is " + x + ", not a non-negative integer");
            }
            out[i] = n;
        }
        return out;
    }

    /** Offsets must lie within the data section, not overlap, and cover it exactly (no gaps, no trailing bytes). */
    private static void checkLayout(Path path, List<TensorEntry> tensors, long dataLen) throws SafetensorsException {
        List<TensorEntry> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.<TensorEntry>comparingLong(t -> t.begin).thenComparingLong(t -> t.end));
        for (TensorEntry t : byOffset) {
            if (t.end > dataLen) {
                throw fail(path, t.name, "data_offsets [" + t.begin + ", " + t.end + "] run past the end of the "
                        + dataLen + "-byte data section (truncated file or corrupt offsets)");
            }
        }
        long covered = 0;
        TensorEntry last = null;
        for (TensorEntry t : byOffset) {
            if (t.begin < covered) {
                throw fail(path, t.name, "data_offsets [" + t.begin + ", " + t.end + "] overlap tensor '" + last.name
                        + "' at [" + last.begin + ", " + last.end + "]");
            }
            if (t.begin > covered) {
                throw fail(path, t.name, "data_offsets [" + t.begin + ", " + t.end + "] leave a gap of "
                        + (t.begin - covered) + " bytes after " + (last == null ? "the start of the data section"
                        : "tensor '" + last.name + "'") + " (the data section must be covered exactly)");
            }
            covered = t.end;
            last = t;
        }
        if (covered != dataLen) {
            throw fail(path, "the tensors cover " + covered + " bytes but the data section has " + dataLen
                    + " (" + (dataLen - covered) + " unexplained trailing bytes: corrupt offsets or appended data)");
        }
    }

    private static NDArray readTensor(Path path, FileChannel ch, long dataStart, TensorEntry t, ByteBuffer buf)
            throws IOException {
        DType dt = t.dtype;
        int elem = dt.itemSize();
        Object out;
        switch (dt) {
            case FLOAT64: out = new double[t.count]; break;
            case FLOAT32: out = new float[t.count]; break;
            case INT64: out = new long[t.count]; break;
            case INT32: out = new int[t.count]; break;
            case INT16: case FLOAT16: case BFLOAT16: out = new short[t.count]; break;
            default: out = new byte[t.count]; break; // INT8, UINT8, BOOL
        }
        long pos = dataStart + t.begin;
        int done = 0;
        while (done < t.count) {
            int k = Math.min(t.count - done, buf.capacity() / elem);
            buf.clear().limit(k * elem);
            readFully(path, ch, buf, pos);
            buf.flip();
            switch (elem) {
                case 8:
                    if (dt == DType.FLOAT64) {
                        buf.asDoubleBuffer().get((double[]) out, done, k);
                    } else {
                        buf.asLongBuffer().get((long[]) out, done, k);
                    }
                    break;
                case 4:
                    if (dt == DType.FLOAT32) {
                        buf.asFloatBuffer().get((float[]) out, done, k);
                    } else {
                        buf.asIntBuffer().get((int[]) out, done, k);
                    }
                    break;
                case 2:
                    buf.asShortBuffer().get((short[]) out, done, k);
                    break;
                default:
                    buf.get((byte[]) out, done, k);
            }
            done += k;
            pos += (long) k * elem;
        }
        switch (dt) {
            case FLOAT64: return NDArray.of((double[]) out, t.shape);
            case FLOAT32: return NDArray.of((float[]) out, t.shape);
            case INT64: return NDArray.of((long[]) out, t.shape);
            case INT32: return NDArray.of((int[]) out, t.shape);
            case INT16: case FLOAT16: case BFLOAT16: return NDArray.ofRawShorts(dt, (short[]) out, t.shape);
            case INT8: case UINT8: return NDArray.ofRawBytes(dt, (byte[]) out, t.shape);
            default: return NDArray.of(bools(path, t, (byte[]) out), t.shape);
        }
    }

    /** BOOL bytes as booleans; anything but 0 and 1 is refused (the format stores a bool as one byte 0 or 1). */
    private static boolean[] bools(Path path, TensorEntry t, byte[] bytes) throws SafetensorsException {
        boolean[] out = new boolean[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != 0 && bytes[i] != 1) {
                throw fail(path, t.name, "BOOL element " + i + " is the byte " + (bytes[i] & 0xff)
                        + ", but a bool must be stored as 0 or 1 (corrupt data, or the tensor is not really BOOL)");
            }
            out[i] = bytes[i] == 1;
        }
        return out;
    }

    private static void readFully(Path path, FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw fail(path, "unexpected end of file at byte " + p + " (the file changed or is truncated)");
            }
            p += r;
        }
    }

    /** A JSON escape of a lone surrogate (such as D800) can put an unpaired surrogate into a string: not Unicode, refused. */
    private static void checkUnicode(Path path, String what, String s) throws SafetensorsException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                String shown = s.substring(Math.max(0, i - 40), i);
                throw fail(path, "the " + what + " '" + shown + "...' holds an unpaired surrogate"
                        + String.format(" (\\u%04X) at character %d", (int) c, i) + ", which is not Unicode (corrupt header)");
            }
        }
    }

    private static String kind(Object v) {
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Json.Num) {
            return "the number " + v;
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return "null";
    }
}
