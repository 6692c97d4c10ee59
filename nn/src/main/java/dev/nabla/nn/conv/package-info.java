/**
 * Convolution and pooling as fused differentiable nodes (im2col with one GEMM per group of images), their gradient nodes, and the window geometry shared by both ({@link dev.nabla.nn.conv.ConvGeometry}).
 */
package dev.nabla.nn.conv;
