package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.Durability;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ExternalGroup;
import dev.cairn.log.GroupDescription;
import dev.cairn.log.GroupIdNotFoundException;
import dev.cairn.log.GroupNotEmptyException;
import dev.cairn.log.GroupState;
import dev.cairn.log.GroupSubscribedToTopicException;
import dev.cairn.log.InconsistentGroupProtocolException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code Log.holdGroup}: a group whose members a front end manages, and the Java API's view of it. */
class HeldGroupTest {
    private final AtomicLong nowMs = new AtomicLong(5_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());
    private final Storage storage = Storage.open(new MemoryFileSystem(), Path.of("/data"), 1000);
    private final DefaultLog log = DefaultLog.open(storage, storage.root().resolve("log"),
            LogOptions.of(clock, Durability.NONE, false).withMaintenanceIntervalMs(0));
    private final TopicPartition p0 = new TopicPartition("t", 0);

    HeldGroupTest() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        for (int i = 0; i < 10; i++) {
            log.append(new ProducerRecord("t", 0, null, null, new byte[] {(byte) i}, null));
        }
    }

    @AfterEach
    void tearDown() {
        log.close();
        storage.close();
    }

    private static GroupDescription wireMember(String group) {
        return new GroupDescription(group, GroupState.STABLE, "range",
                List.of(new GroupDescription.Member("m-1", Set.of("t"), Set.of(new TopicPartition("t", 0)))));
    }

    @Test
    void aHeldGroupRefusesJavaApiMembersAndAdminChangesUntilItIsGivenBack() {
        ExternalGroup hold = log.holdGroup("g");
        hold.describeAs(wireMember("g"));
        assertThat(log.listGroups()).containsExactly("g");
        assertThat(log.describeGroup("g")).isEqualTo(wireMember("g"));

        try (Consumer consumer = log.consumer(ConsumerConfig.group("g"))) {
            assertThatThrownBy(() -> consumer.subscribe(List.of("t")))
                    .isInstanceOf(InconsistentGroupProtocolException.class).hasMessageContaining("group g");
            assertThat(consumer.assignment()).isEmpty();
            assertThatThrownBy(() -> consumer.poll(Duration.ZERO)).as("still not subscribed")
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> log.holdGroup("g")).isInstanceOf(InconsistentGroupProtocolException.class);
        assertThatThrownBy(() -> log.alterCommittedOffsets("g", Map.of(p0, 1L)))
                .isInstanceOf(GroupNotEmptyException.class).hasMessageContaining("m-1");
        assertThatThrownBy(() -> log.deleteGroup("g")).isInstanceOf(GroupNotEmptyException.class);
        assertThatThrownBy(() -> log.deleteCommittedOffsets("g", List.of(p0)))
                .isInstanceOf(GroupSubscribedToTopicException.class);
        assertThatThrownBy(() -> hold.describeAs(wireMember("other"))).isInstanceOf(IllegalArgumentException.class);

        hold.commit(Map.of(p0, 4L));
        assertThat(log.committedOffsets("g")).isEqualTo(Map.of(p0, 4L));

        hold.close();
        hold.close();
        assertThatThrownBy(() -> hold.commit(Map.of(p0, 5L))).isInstanceOf(IllegalStateException.class);
        assertThat(log.committedOffsets("g")).as("a refused commit writes nothing").isEqualTo(Map.of(p0, 4L));
        assertThat(log.describeGroup("g").state()).isEqualTo(GroupState.EMPTY);
        try (Consumer consumer = log.consumer(ConsumerConfig.group("g"))) {
            consumer.subscribe(List.of("t"));
            assertThat(consumer.poll(Duration.ZERO)).as("from the offset the holder committed")
                    .extracting(dev.cairn.log.ConsumerRecord::offset).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThatThrownBy(() -> log.holdGroup("g")).isInstanceOf(InconsistentGroupProtocolException.class)
                    .hasMessageContaining("live Java-API members");
        }
        log.deleteGroup("g");
        assertThatThrownBy(() -> log.describeGroup("g")).isInstanceOf(GroupIdNotFoundException.class);
    }

    // Scenario: a Java-API member's session expires, a front end takes the group, and the member
    // polls again: its rejoin is refused, it keeps nothing, and the holder's group is untouched.
    @Test
    void anExpiredMemberCannotRejoinAHeldGroup() {
        Consumer consumer = log.consumer(ConsumerConfig.group("g").withSessionTimeoutMs(1000));
        consumer.subscribe(List.of("t"));
        consumer.poll(Duration.ZERO);
        assertThat(consumer.assignment()).hasSize(2);
        nowMs.addAndGet(2000);
        ExternalGroup hold = log.holdGroup("g");
        hold.describeAs(wireMember("g"));
        assertThatThrownBy(() -> consumer.poll(Duration.ZERO)).isInstanceOf(InconsistentGroupProtocolException.class);
        assertThat(log.describeGroup("g")).isEqualTo(wireMember("g"));
        consumer.close();
        assertThat(log.describeGroup("g")).isEqualTo(wireMember("g"));
        hold.close();
    }
}
