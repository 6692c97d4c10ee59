/**
 * Files: safetensors checkpoints ({@link dev.nabla.ndarray.io.Safetensors}), the one atomic writer every file goes through ({@link dev.nabla.ndarray.io.AtomicFiles}), and a JSON writer and parser.
 */
package dev.nabla.ndarray.io;
