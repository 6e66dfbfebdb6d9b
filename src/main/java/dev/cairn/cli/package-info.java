/**
 * The command line: the runnable jar's tool ({@link dev.cairn.cli.CairnCli}: {@code serve},
 * {@code check}, {@code repair}, {@code describe}, {@code dump}), its entry point, and the README's demo. The only package that
 * imports picocli.
 */
package dev.cairn.cli;
