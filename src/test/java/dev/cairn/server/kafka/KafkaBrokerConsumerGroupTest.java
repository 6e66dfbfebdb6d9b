package dev.cairn.server.kafka;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The consumer group contract against a real Kafka broker: what Cairn's coordinator is held to. */
class KafkaBrokerConsumerGroupTest extends ConsumerGroupContract {
    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @Override
    protected String bootstrapServers() {
        return BROKER.bootstrapServers();
    }
}
