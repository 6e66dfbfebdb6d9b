/**
 * The command line: the runnable jar's entry point, which serves a data directory over RESP.
 */
package dev.cairn.cli;
