package dev.cairn.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code String} parameter that {@link CairnExtension} fills with the
 * {@code bootstrap.servers} of a Kafka listener on the test's Cairn ({@code 127.0.0.1:port}),
 * starting the listener on a free port if it is not running yet.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface KafkaBootstrapServers {
}
