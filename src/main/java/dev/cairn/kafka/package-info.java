/**
 * kafka-clients' {@code Producer} and {@code Consumer} interfaces over a {@link dev.cairn.log.Log}
 * in the same process, without a socket: {@link dev.cairn.kafka.InProcessProducer} and
 * {@link dev.cairn.kafka.InProcessConsumer}. For code written against those interfaces (as
 * tests hand it kafka-clients' {@code MockProducer} and {@code MockConsumer}) that should run on
 * real, durable topics and real consumer groups: what they write, the log's Java API and the Kafka
 * server read, and the reverse.
 *
 * <p>A front end, as the servers are: the package uses only the public API of the core and the
 * log and kafka-clients (an optional dependency, needed only by users of this package). It
 * serializes, calls the log, and translates the answer and the log's exceptions into Kafka's; the
 * semantics (partitioning, durability, groups, fencing) are the log's. What is and is not
 * supported is listed in docs/log.md, section "In-process Kafka clients".
 */
package dev.cairn.kafka;
