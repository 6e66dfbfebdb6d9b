package dev.cairn.server.kafka;

import dev.cairn.Cairn;
import org.junit.jupiter.api.AfterEach;

/** The consumer group contract against Cairn's Kafka listener, configured as a Kafka test broker would be. */
class CairnConsumerGroupTest extends ConsumerGroupContract {
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0)
            .withGroupSessionTimeoutRange(500, 1_800_000));

    @Override
    protected String bootstrapServers() {
        return server.bootstrapServers();
    }

    @AfterEach
    void tearDown() {
        cairn.close();
    }
}
