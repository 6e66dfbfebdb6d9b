package dev.cairn.server.kafka;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The Admin tests against a real Kafka broker: what Cairn's answers are held to. */
class KafkaBrokerAdminTest extends AbstractKafkaAdminTest {
    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @Override
    protected String bootstrapServers() {
        return BROKER.bootstrapServers();
    }

    @Override
    protected String clusterId() {
        return BROKER.clusterId();
    }

    @Override
    protected int nodeId() {
        return BROKER.nodeId();
    }
}
