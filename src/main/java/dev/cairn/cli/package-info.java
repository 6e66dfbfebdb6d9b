/**
 * The command line: the runnable jar's entry point, which serves a data directory over RESP and
 * the Kafka protocol, and the README's demo.
 */
package dev.cairn.cli;
