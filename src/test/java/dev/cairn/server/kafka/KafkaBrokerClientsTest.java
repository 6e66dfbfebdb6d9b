package dev.cairn.server.kafka;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The client-level tests against a real Kafka broker: what Cairn's answers are held to. */
class KafkaBrokerClientsTest extends AbstractKafkaClientsTest {
    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @Override
    protected String bootstrapServers() {
        return BROKER.bootstrapServers();
    }
}
