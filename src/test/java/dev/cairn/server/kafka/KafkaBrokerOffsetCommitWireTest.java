package dev.cairn.server.kafka;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The OffsetCommit wire tests against a real Kafka broker: what Cairn's answers are held to. */
class KafkaBrokerOffsetCommitWireTest extends AbstractOffsetCommitWireTest {
    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @Override
    protected String bootstrapServers() {
        return BROKER.bootstrapServers();
    }

    @Override
    protected int port() {
        return BROKER.port();
    }
}
