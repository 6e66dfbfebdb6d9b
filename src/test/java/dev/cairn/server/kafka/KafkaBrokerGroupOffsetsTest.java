package dev.cairn.server.kafka;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The group-offset tests against a real Kafka broker: what Cairn's answers are held to. */
class KafkaBrokerGroupOffsetsTest extends AbstractKafkaGroupOffsetsTest {
    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @Override
    protected String bootstrapServers() {
        return BROKER.bootstrapServers();
    }
}
