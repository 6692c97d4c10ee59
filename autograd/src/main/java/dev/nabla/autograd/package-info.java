/**
 * Define-by-run reverse-mode automatic differentiation: {@link dev.nabla.autograd.Variable} records one {@link dev.nabla.autograd.Node} per primitive operation as it runs, and backward walks that graph in reverse topological order. {@link dev.nabla.autograd.F} holds the tensor functions, {@link dev.nabla.autograd.Autograd} the function transforms (vjp, jvp, jacobian, hessian), {@link dev.nabla.autograd.GradCheck} and {@link dev.nabla.autograd.GradGradCheck} the numerical checks.
 */
package dev.nabla.autograd;
