package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnServerMain;
import dev.cairn.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/** The runnable jar's entry point starts a Kafka listener when given --kafka-port. */
class KafkaServerMainTest {
    private static final Pattern KAFKA = Pattern.compile("Kafka protocol on .*:(\\d+) \\(bootstrap.servers=");

    @Test
    void kafkaPortStartsAListener() throws Exception {
        Process child = ChildJvm.of(CairnServerMain.class, "--in-memory", "--redis-port", "0", "--kafka-port", "0")
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            int port = -1;
            String line;
            while (port < 0 && (line = out.readLine()) != null) {
                Matcher m = KAFKA.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertThat(port).as("the Kafka listener's port, printed").isPositive();
            try (KafkaWireClient client = new KafkaWireClient(port)) {
                ApiVersionsResponseData r = client.call(ApiKeys.API_VERSIONS, (short) 3,
                        new ApiVersionsRequestData().setClientSoftwareName("c").setClientSoftwareVersion("1"),
                        ApiVersionsResponseData.class);
                assertThat(r.errorCode()).isZero();
            }
        } finally {
            child.destroy();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
