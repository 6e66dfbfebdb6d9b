package dev.cairn.server.kafka;

import dev.cairn.Cairn;
import org.junit.jupiter.api.AfterEach;

/** The OffsetCommit wire tests against a KafkaServer on an in-memory Cairn. */
class OffsetCommitWireTest extends AbstractOffsetCommitWireTest {
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    @Override
    protected String bootstrapServers() {
        return server.bootstrapServers();
    }

    @Override
    protected int port() {
        return server.port();
    }
}
