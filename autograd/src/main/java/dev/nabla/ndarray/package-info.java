/**
 * N-dimensional arrays ({@link dev.nabla.ndarray.NDArray}) in float64 and float32, their element-wise, reduction and indexing kernels, and the matrix product ({@link dev.nabla.ndarray.Gemm}, {@link dev.nabla.ndarray.BlockedGemm}): the numeric layer under autograd, with no notion of gradients.
 */
package dev.nabla.ndarray;
