/**
 * The Kafka front end: a {@link dev.cairn.server.kafka.KafkaServer} serves a {@code Cairn}'s log
 * over Kafka's wire protocol to unmodified Kafka clients.
 *
 * <p>Requests and responses are read and written with kafka-clients' generated message classes and
 * record-batch codecs (an optional dependency, as Netty is); {@link dev.cairn.server.kafka.ServedApi}
 * is the one table of the APIs and versions served. The package uses only the public API of the
 * core and the log: it parses, calls the log, and encodes the answer.
 */
package dev.cairn.server.kafka;
