/**
 * The example models, studies and the {@code nabla} command line. Not a library: programs depend on the library modules.
 */
package dev.nabla.examples;
