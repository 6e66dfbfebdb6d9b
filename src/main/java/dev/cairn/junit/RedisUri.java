package dev.cairn.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code String} or {@link java.net.URI} parameter that {@link CairnExtension} fills with
 * the address of a Redis listener on the test's Cairn ({@code redis://127.0.0.1:port}, as Jedis,
 * Lettuce and redis-cli take it), starting the listener on a free port if it is not running yet.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface RedisUri {
}
