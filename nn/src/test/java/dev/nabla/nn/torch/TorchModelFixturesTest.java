package dev.nabla.nn.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Json;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The classification models of the PyTorch fixtures (mlp, lenet, convbn, mlp_bn_ln, embedding),
 * built from Nabla's modules with the fixture's architecture ({@link TorchStateDictKeysTest#builders}),
 * load PyTorch's {@code state_dict()} strictly with no renaming or transposing, and reproduce what
 * PyTorch computed with it: the eval-mode output, the training-mode cross-entropy loss on the int64
 * targets (BatchNorm on batch statistics) and the gradient of that loss for every parameter, all to
 * 1e-10 in float64. Their own state dict, saved with {@link Safetensors#save}, holds exactly the
 * keys, dtypes (num_batches_tracked int64), shapes and tensor bytes of the PyTorch file, which is
 * what PyTorch's {@code load_state_dict(strict=True)} needs. (The recurrent fixtures are
 * {@link TorchRecurrentFixturesTest}.)
 */
class TorchModelFixturesTest {
    private static final double TOL = 1e-10;

    /** The embedding fixture: ids (N, T) → Embedding → Linear → mean over the T positions. */
    private static Variable forward(String name, Module model, NDArray input) {
        if (!name.equals("embedding")) {
            return model.call(new Variable(input));
        }
        Embedding emb = (Embedding) model.children().get("emb");
        Linear out = (Linear) model.children().get("out");
        return out.call(emb.forward(input)).mean(new int[] {1}, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet", "convbn", "mlp_bn_ln", "embedding"})
    void loadsStrictlyAndReproducesEvalOutputTrainingLossAndEveryGradient(String name) throws IOException {
        Module model = TorchStateDictKeysTest.builders().get(name).get();
        model.loadStateDict(TorchFixtures.load(name + ".safetensors"), true);
        Map<String, NDArray> io = TorchFixtures.load(name + ".io.safetensors");
        NDArray input = io.get("input0");
        NDArray target = io.get("target");
        assertEquals(DType.INT64, target.dtype(), name + ": the fixture's targets are int64 class indices");
        if (name.equals("embedding")) {
            assertEquals(DType.INT64, input.dtype(), "embedding: int64 token ids");
        }

        model.eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            TorchFixtures.assertClose(io.get("eval_output0"), forward(name, model, input).data(), TOL,
                    name + ": eval_output0");
        }

        model.train();
        model.zeroGrad();
        Variable loss = Functional.crossEntropy(forward(name, model, input), target);
        TorchFixtures.assertClose(io.get("train_loss"), loss.data(), TOL, name + ": train_loss");
        loss.backward();
        Map<String, Parameter> params = model.namedParameters();
        int grads = 0;
        for (Map.Entry<String, NDArray> e : io.entrySet()) {
            if (!e.getKey().startsWith("grad.")) {
                continue;
            }
            String key = e.getKey().substring("grad.".length());
            Parameter p = params.get(key);
            assertNotNull(p, name + ": the fixture has a gradient for " + key + ", a parameter Nabla's model lacks");
            assertNotNull(p.grad(), name + ": no gradient reached " + key);
            TorchFixtures.assertClose(e.getValue(), p.grad().data(), TOL, name + ": grad." + key);
            grads++;
        }
        assertEquals(params.size(), grads, name + ": a PyTorch gradient for every parameter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet", "convbn", "mlp_bn_ln", "embedding", "lstm", "gru", "rnn_tanh"})
    void itsOwnStateDictSavedIsWhatPyTorchLoads(String name, @TempDir Path dir) throws IOException {
        Path fixture = TorchFixtures.path(name + ".safetensors");
        Module model = TorchStateDictKeysTest.builders().get(name).get();
        model.loadStateDict(Safetensors.load(fixture), true);
        Path saved = dir.resolve(name + ".safetensors");
        Safetensors.save(saved, model.stateDict());

        Header expected = Header.read(fixture);
        Header actual = Header.read(saved);
        assertEquals(expected.entries().keySet(), actual.entries().keySet(), name + ": the same keys");
        for (String key : expected.entries().keySet()) {
            Map<String, Object> e = expected.entries().get(key);
            Map<String, Object> a = actual.entries().get(key);
            assertEquals(e.get("dtype"), a.get("dtype"), name + ": dtype of " + key);
            assertEquals(Header.dims(e), Header.dims(a), name + ": shape of " + key);
            assertArrayEquals(expected.bytes(key), actual.bytes(key), name + ": the bytes of " + key);
        }
    }

    /** A safetensors header read independently of {@link Safetensors} (JSON plus byte ranges). */
    private record Header(byte[] file, int dataStart, Map<String, Map<String, Object>> entries) {
        @SuppressWarnings("unchecked")
        static Header read(Path p) throws IOException {
            byte[] b = Files.readAllBytes(p);
            int n = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            Map<String, Object> json;
            try {
                json = (Map<String, Object>) Json.parse(new String(b, 8, n, StandardCharsets.UTF_8));
            } catch (Json.ParseException e) {
                throw new IllegalStateException(p + ": " + e.getMessage(), e);
            }
            Map<String, Map<String, Object>> entries = new java.util.TreeMap<>();
            for (Map.Entry<String, Object> e : json.entrySet()) {
                if (!e.getKey().equals("__metadata__")) {
                    entries.put(e.getKey(), (Map<String, Object>) e.getValue());
                }
            }
            return new Header(b, 8 + n, entries);
        }

        @SuppressWarnings("unchecked")
        static List<Double> dims(Map<String, Object> entry) {
            return ((List<Object>) entry.get("shape")).stream().map(o -> ((Json.Num) o).toDouble()).toList();
        }

        @SuppressWarnings("unchecked")
        byte[] bytes(String key) {
            List<Object> off = (List<Object>) entries.get(key).get("data_offsets");
            int begin = dataStart + (int) ((Json.Num) off.get(0)).toDouble();
            int end = dataStart + (int) ((Json.Num) off.get(1)).toDouble();
            return Arrays.copyOfRange(file, begin, end);
        }
    }
}
