package dev.nabla.autograd;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Two sample {@link Function}s the op registry checks (so the generic first- and second-order
 * properties cover the custom-function path) and the tests use: a two-output {@link SinCos} and
 * {@link MaxDim}, a max along an axis with its int64 indices as a non-differentiable output.
 * Stateless and thread-safe (their fields are final configuration).
 */
final class SampleFunctions {
    private SampleFunctions() {}

    /**
     * {@code (sin x, cos x)}: saves its input; {@code dx = g_sin cos x - g_cos sin x}. With
     * {@code materialize == false} it asks for null gradients of unused outputs and handles them.
     */
    static final class SinCos extends Function {
        private final boolean materialize;

        SinCos() {
            this(true);
        }

        SinCos(boolean materialize) {
            this.materialize = materialize;
        }

        @Override
        protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
            ctx.saveForBackward(x[0]);
            ctx.setMaterializeGrads(materialize);
            return new NDArray[] {x[0].sin(), x[0].cos()};
        }

        @Override
        protected Variable[] backward(FunctionContext ctx, Variable... g) {
            Variable x = ctx.savedTensors()[0];
            Variable gx = null;
            if (g[0] != null) {
                gx = g[0].mul(x.cos());
            }
            if (g[1] != null) {
                Variable t = g[1].mul(x.sin());
                gx = gx == null ? t.neg() : gx.sub(t);
            }
            return new Variable[] {gx};
        }

        @Override
        protected Variable[] jvp(FunctionContext ctx, Variable... t) {
            if (t[0] == null) {
                return new Variable[] {null, null};
            }
            Variable x = ctx.savedTensors()[0];
            return new Variable[] {t[0].mul(x.cos()), t[0].mul(x.sin()).neg()};
        }
    }

    /**
     * {@code torch.max(x, dim, keepdim)}: the maxima along {@code axis} and their INT64 indices
     * (marked non-differentiable, so the indices never require grad). Backward routes the gradient
     * to the arg-max positions through a constant one-hot mask, which is linear in the gradient, so
     * second derivatives work. The input shape is kept as a non-tensor value ({@code ctx.put}).
     */
    static final class MaxDim extends Function {
        private final int axis;
        private final boolean keepDim;

        MaxDim(int axis, boolean keepDim) {
            this.axis = axis;
            this.keepDim = keepDim;
        }

        @Override
        protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
            int a = Shapes.axis("MaxDim", axis, x[0].ndim());
            NDArray values = x[0].max(new int[] {a}, keepDim);
            NDArray indices = x[0].argmax(a);
            if (keepDim) {
                indices = indices.unsqueeze(a);
            }
            ctx.markNonDifferentiable(indices);
            ctx.saveForBackward(indices);
            ctx.put("shape", x[0].shape());
            ctx.put("axis", a);
            return new NDArray[] {values, indices};
        }

        @Override
        protected Variable[] backward(FunctionContext ctx, Variable... g) {
            if (!ctx.needsInputGrad(0)) {
                return new Variable[] {null};
            }
            Variable gy = g[0];
            int a = ctx.get("axis");
            return new Variable[] {(keepDim ? gy : gy.unsqueeze(a)).mul(oneHot(ctx, gy.dtype()))};
        }

        /** The tangent of the maxima: the input's tangent at the arg-max positions. */
        @Override
        protected Variable[] jvp(FunctionContext ctx, Variable... t) {
            int a = ctx.get("axis");
            Variable tv = t[0].mul(oneHot(ctx, t[0].dtype())).sum(new int[] {a}, keepDim);
            return new Variable[] {tv, null};
        }

        /** A constant of the input's shape: 1 at each arg-max along the axis, 0 elsewhere. */
        private Variable oneHot(FunctionContext ctx, DType dtype) {
            int[] shape = ctx.get("shape");
            int a = ctx.get("axis");
            NDArray idx = ctx.savedTensors()[0].data();
            if (!keepDim) {
                idx = idx.unsqueeze(a);
            }
            int[] along = new int[shape.length];
            java.util.Arrays.fill(along, 1);
            along[a] = shape[a];
            NDArray positions = NDArray.arange(shape[a]).astype(DType.INT64).reshape(along);
            return Variable.constant(positions.eq(idx).astype(dtype));
        }
    }
}
