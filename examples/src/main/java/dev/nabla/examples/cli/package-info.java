/**
 * The {@code nabla} command line: commands, option parsing and the one-line error reporting.
 */
package dev.nabla.examples.cli;
