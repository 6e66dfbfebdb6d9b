/**
 * Cairn: an embedded commit log ({@code dev.cairn.log}) and data-structure store
 * ({@code dev.cairn.dictionary}) on one storage layer, opened through {@code dev.cairn.Cairn}.
 *
 * <p>Only the public API packages are exported; the storage layer and every
 * {@code .internal} package are implementation.
 *
 * <p>Netty is needed only by the Redis front end ({@code dev.cairn.server.redis}), so it is an
 * optional dependency, read here with {@code requires static}: a user who never starts a
 * {@code RedisServer} needs nothing but slf4j-api. The Kafka front end ({@code dev.cairn.server.kafka})
 * needs Netty and kafka-clients, read the same way, and the in-process Kafka clients
 * ({@code dev.cairn.kafka}) need kafka-clients alone; the test kit ({@code dev.cairn.junit}) needs
 * junit-jupiter-api and assertj-core, which every project that uses it has on its test class path;
 * the command-line tool of the runnable jar ({@code dev.cairn.cli}) needs picocli, which that jar
 * includes. The Micrometer binder ({@code dev.cairn.metrics.micrometer}) needs micrometer-core, read
 * the same way; the metrics themselves and their MBeans need only the JDK's {@code java.management}.
 */
// Netty 4.1's jars are automatic modules (named in their manifests), and kafka-clients' jar is one
// named after its file (kafka.clients); micrometer-core's names itself micrometer.core in its
// manifest: nothing to do about that here. kafka-clients is read transitively because
// dev.cairn.kafka's public classes implement its interfaces: a module that uses them reads
// kafka-clients' types through this one (still optional at run time).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cairn {
    requires java.management;
    requires org.slf4j;
    requires static io.netty.buffer;
    requires static io.netty.codec;
    requires static io.netty.common;
    requires static io.netty.transport;
    requires static transitive kafka.clients;
    requires static info.picocli;
    requires static transitive micrometer.core;
    requires static transitive org.junit.jupiter.api;
    requires static transitive org.assertj.core;

    exports dev.cairn;
    exports dev.cairn.common;
    exports dev.cairn.dictionary;
    exports dev.cairn.junit;
    exports dev.cairn.kafka;
    exports dev.cairn.log;
    exports dev.cairn.metrics.micrometer;
    exports dev.cairn.server.kafka;
    exports dev.cairn.server.redis;

    // picocli fills the command-line tool's annotated fields by reflection.
    opens dev.cairn.cli to info.picocli;
}
