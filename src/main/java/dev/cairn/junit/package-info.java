/**
 * The test kit: {@link dev.cairn.junit.CairnExtension} gives each JUnit 5 test a Cairn (in memory
 * or in a temporary directory), its Kafka and Redis listeners on free ports when asked for, a
 * {@link dev.cairn.ManualClock}, declared topics and keys, reading helpers, and a dump of the
 * Cairn's state in the report of a failed test; {@link dev.cairn.junit.CairnAssertions} gives
 * AssertJ assertions on topics and keys.
 *
 * <p>junit-jupiter-api and assertj-core are optional dependencies of Cairn: a test project has
 * them already, and an application that only embeds Cairn never loads this package.
 */
package dev.cairn.junit;
