/**
 * Residual networks: {@link dev.nabla.examples.resnet.ResNet} of
 * {@link dev.nabla.examples.resnet.BasicBlock}s trained on MNIST ({@code nabla train resnet}), and
 * the study of why the shortcuts matter ({@code nabla train resnet-study}): a deep plain
 * convolutional net against the same net with identity shortcuts, their per-layer gradient norms
 * and training curves.
 */
package dev.nabla.examples.resnet;
