package dev.nabla.ndarray;

/**
 * The plain-Java float32 micro-kernel: a 4 x 8 tile of floats held in 32 local variables, updated
 * with {@link Math#fma(float, float, float)} (a single instruction on CPUs with FMA). Used when the
 * Vector API is not available; it rounds exactly like {@link VectorFloatGemmKernel}.
 */
final class ScalarFloatGemmKernel implements FloatGemmKernel {
    static final int MR = 4;
    static final int NR = 8;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String name() {
        return "scalar-f32-4x8";
    }

    @Override
    public void tile(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] c, int co, int ldc,
                     int rows, int cols, float alpha, float beta, float[] scratch) {
        float c00 = 0; float c01 = 0; float c02 = 0; float c03 = 0; float c04 = 0; float c05 = 0; float c06 = 0; float c07 = 0;
        float c10 = 0; float c11 = 0; float c12 = 0; float c13 = 0; float c14 = 0; float c15 = 0; float c16 = 0; float c17 = 0;
        float c20 = 0; float c21 = 0; float c22 = 0; float c23 = 0; float c24 = 0; float c25 = 0; float c26 = 0; float c27 = 0;
        float c30 = 0; float c31 = 0; float c32 = 0; float c33 = 0; float c34 = 0; float c35 = 0; float c36 = 0; float c37 = 0;
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR;
            int b = bo + p * ldb;
            float b0 = bp[b]; float b1 = bp[b + 1]; float b2 = bp[b + 2]; float b3 = bp[b + 3]; float b4 = bp[b + 4]; float b5 = bp[b + 5]; float b6 = bp[b + 6]; float b7 = bp[b + 7];
            float a0 = ap[a];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03); c04 = Math.fma(a0, b4, c04); c05 = Math.fma(a0, b5, c05); c06 = Math.fma(a0, b6, c06); c07 = Math.fma(a0, b7, c07);
            float a1 = ap[a + 1];
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13); c14 = Math.fma(a1, b4, c14); c15 = Math.fma(a1, b5, c15); c16 = Math.fma(a1, b6, c16); c17 = Math.fma(a1, b7, c17);
            float a2 = ap[a + 2];
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23); c24 = Math.fma(a2, b4, c24); c25 = Math.fma(a2, b5, c25); c26 = Math.fma(a2, b6, c26); c27 = Math.fma(a2, b7, c27);
            float a3 = ap[a + 3];
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33); c34 = Math.fma(a3, b4, c34); c35 = Math.fma(a3, b5, c35); c36 = Math.fma(a3, b6, c36); c37 = Math.fma(a3, b7, c37);
        }
        if (rows == MR && cols == NR) {
            int r0 = co + 0 * ldc;
            FloatGemmKernel.store(c, r0 + 0, c00, alpha, beta);
            FloatGemmKernel.store(c, r0 + 1, c01, alpha, beta);
            FloatGemmKernel.store(c, r0 + 2, c02, alpha, beta);
            FloatGemmKernel.store(c, r0 + 3, c03, alpha, beta);
            FloatGemmKernel.store(c, r0 + 4, c04, alpha, beta);
            FloatGemmKernel.store(c, r0 + 5, c05, alpha, beta);
            FloatGemmKernel.store(c, r0 + 6, c06, alpha, beta);
            FloatGemmKernel.store(c, r0 + 7, c07, alpha, beta);
            int r1 = co + 1 * ldc;
            FloatGemmKernel.store(c, r1 + 0, c10, alpha, beta);
            FloatGemmKernel.store(c, r1 + 1, c11, alpha, beta);
            FloatGemmKernel.store(c, r1 + 2, c12, alpha, beta);
            FloatGemmKernel.store(c, r1 + 3, c13, alpha, beta);
            FloatGemmKernel.store(c, r1 + 4, c14, alpha, beta);
            FloatGemmKernel.store(c, r1 + 5, c15, alpha, beta);
            FloatGemmKernel.store(c, r1 + 6, c16, alpha, beta);
            FloatGemmKernel.store(c, r1 + 7, c17, alpha, beta);
            int r2 = co + 2 * ldc;
            FloatGemmKernel.store(c, r2 + 0, c20, alpha, beta);
            FloatGemmKernel.store(c, r2 + 1, c21, alpha, beta);
            FloatGemmKernel.store(c, r2 + 2, c22, alpha, beta);
            FloatGemmKernel.store(c, r2 + 3, c23, alpha, beta);
            FloatGemmKernel.store(c, r2 + 4, c24, alpha, beta);
            FloatGemmKernel.store(c, r2 + 5, c25, alpha, beta);
            FloatGemmKernel.store(c, r2 + 6, c26, alpha, beta);
            FloatGemmKernel.store(c, r2 + 7, c27, alpha, beta);
            int r3 = co + 3 * ldc;
            FloatGemmKernel.store(c, r3 + 0, c30, alpha, beta);
            FloatGemmKernel.store(c, r3 + 1, c31, alpha, beta);
            FloatGemmKernel.store(c, r3 + 2, c32, alpha, beta);
            FloatGemmKernel.store(c, r3 + 3, c33, alpha, beta);
            FloatGemmKernel.store(c, r3 + 4, c34, alpha, beta);
            FloatGemmKernel.store(c, r3 + 5, c35, alpha, beta);
            FloatGemmKernel.store(c, r3 + 6, c36, alpha, beta);
            FloatGemmKernel.store(c, r3 + 7, c37, alpha, beta);
            return;
        }
        scratch[0] = c00; scratch[1] = c01; scratch[2] = c02; scratch[3] = c03; scratch[4] = c04; scratch[5] = c05; scratch[6] = c06; scratch[7] = c07;
        scratch[8] = c10; scratch[9] = c11; scratch[10] = c12; scratch[11] = c13; scratch[12] = c14; scratch[13] = c15; scratch[14] = c16; scratch[15] = c17;
        scratch[16] = c20; scratch[17] = c21; scratch[18] = c22; scratch[19] = c23; scratch[20] = c24; scratch[21] = c25; scratch[22] = c26; scratch[23] = c27;
        scratch[24] = c30; scratch[25] = c31; scratch[26] = c32; scratch[27] = c33; scratch[28] = c34; scratch[29] = c35; scratch[30] = c36; scratch[31] = c37;
        FloatGemmKernel.storePartial(scratch, NR, c, co, ldc, rows, cols, alpha, beta);
    }
}
