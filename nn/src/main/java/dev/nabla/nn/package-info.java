/**
 * Neural-network modules built on autograd: {@link dev.nabla.nn.Module} with PyTorch-style state dicts, layers (Linear, Conv2d, pooling, normalization, dropout, recurrent layers, embeddings), activations, losses and initializers.
 */
package dev.nabla.nn;
