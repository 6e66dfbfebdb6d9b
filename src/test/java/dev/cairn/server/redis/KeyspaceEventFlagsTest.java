package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** notify-keyspace-events' letters, read and written as Redis 7.0 does. */
class KeyspaceEventFlagsTest {

    @Test
    void parsesEveryLetterAndWritesTheCanonicalOrder() {
        assertThat(KeyspaceEventFlags.format(KeyspaceEventFlags.parse(""))).isEmpty();
        assertThat(KeyspaceEventFlags.format(KeyspaceEventFlags.parse("KEA"))).isEqualTo("AKE");
        assertThat(KeyspaceEventFlags.format(KeyspaceEventFlags.parse("EK$lg"))).isEqualTo("g$lKE");
        assertThat(KeyspaceEventFlags.format(KeyspaceEventFlags.parse("nmdtezhsxlg$EK")))
                .isEqualTo("AKEm");
        assertThat(KeyspaceEventFlags.format(KeyspaceEventFlags.parse("zzxx"))).isEqualTo("zx");
        assertThat(KeyspaceEventFlags.format(KeyspaceEventFlags.parse("Kn"))).isEqualTo("nK");
        // Redis writes A without the n it does not cover, and m after K and E.
        assertThat(KeyspaceEventFlags.format(KeyspaceEventFlags.parse("AnmE"))).isEqualTo("AEm");
        assertThat(KeyspaceEventFlags.format(KeyspaceEventFlags.parse("g$lshzxetd"))).isEqualTo("A");
    }

    @Test
    void anUnknownLetterIsRefusedNamingIt() {
        assertThatThrownBy(() -> KeyspaceEventFlags.parse("KEQ"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KeyspaceEventFlags.INVALID).hasMessageContaining("'Q' at index 2");
        assertThatThrownBy(() -> KeyspaceEventFlags.parse("a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisServerOptions.DEFAULT.withNotifyKeyspaceEvents("K E"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' ' at index 1");
    }

    @Test
    void publishesOnlyWithAClassAndAChannel() {
        assertThat(KeyspaceEventFlags.publishes(KeyspaceEventFlags.parse("KE"))).isFalse();
        assertThat(KeyspaceEventFlags.publishes(KeyspaceEventFlags.parse("A"))).isFalse();
        assertThat(KeyspaceEventFlags.publishes(KeyspaceEventFlags.parse("Kx"))).isTrue();
        assertThat(KeyspaceEventFlags.publishes(KeyspaceEventFlags.parse("En"))).isTrue();
    }
}
