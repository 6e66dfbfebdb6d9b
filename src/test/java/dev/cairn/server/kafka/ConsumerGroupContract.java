package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classic consumer group protocol as unmodified kafka-clients see it: {@code subscribe} with
 * each assignor, members joining, leaving and being dropped while a producer runs, rebalance
 * listeners, session timeouts, and the Admin calls on groups. Only Kafka's documented behaviour is
 * asserted, so the same tests can run against a Kafka broker: a subclass gives the bootstrap
 * servers of one broker, configured with {@code group.initial.rebalance.delay.ms=0} and
 * {@code group.min.session.timeout.ms} at most 1000 (these tests use short session timeouts).
 * Every test uses its own topic and group names.
 */
abstract class ConsumerGroupContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The {@code bootstrap.servers} of the broker under test. */
    protected abstract String bootstrapServers();

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    private String name(String base) {
        return base + "-" + suffix;
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        return Admin.create(props);
    }

    private String topic(String base, int partitions) throws Exception {
        String topic = name(base);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        return topic;
    }

    private KafkaConsumer<String, String> consumer(String group, String assignor, Map<String, String> extra) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("group.id", group);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        props.put("heartbeat.interval.ms", "100");
        props.put("partition.assignment.strategy", assignorClass(assignor));
        props.putAll(extra);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static String assignorClass(String assignor) {
        return switch (assignor) {
            case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
            case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
            case "cooperative-sticky" -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
            default -> throw new IllegalArgumentException(assignor);
        };
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** Polls every consumer in turn (each poll short) until {@code condition} holds. */
    @SafeVarargs
    private static void pollUntil(String what, BooleanSupplier condition, KafkaConsumer<String, String>... consumers) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out polling until " + what).isLessThan(deadline);
            for (KafkaConsumer<String, String> c : consumers) {
                c.poll(Duration.ofMillis(20));
            }
        }
    }

    private static Set<TopicPartition> partitions(String topic, int count) {
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < count; p++) {
            all.add(new TopicPartition(topic, p));
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "roundrobin", "cooperative-sticky"})
    void twoSubscribersSplitTheTopicAndReadEachRecordOnce(String assignor) throws Exception {
        String topic = topic("split", 4);
        String group = name("split-" + assignor);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 40; i++) {
                producer.send(new ProducerRecord<>(topic, i % 4, null, "v" + i)).get();
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, String> a = consumer(group, assignor, Map.of());
             KafkaConsumer<String, String> b = consumer(group, assignor, Map.of())) {
            a.subscribe(List.of(topic));
            b.subscribe(List.of(topic));
            pollUntil("both own two partitions", () -> a.assignment().size() == 2 && b.assignment().size() == 2
                    && !a.assignment().equals(b.assignment()), a, b);
            Set<TopicPartition> union = new HashSet<>(a.assignment());
            union.addAll(b.assignment());
            assertThat(union).isEqualTo(partitions(topic, 4));
            a.seekToBeginning(a.assignment());
            b.seekToBeginning(b.assignment());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (seen.values().stream().mapToInt(Integer::intValue).sum() < 40 && System.nanoTime() < deadline) {
                for (KafkaConsumer<String, String> c : List.of(a, b)) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
                        assertThat(c.assignment()).contains(new TopicPartition(r.topic(), r.partition()));
                        seen.merge(r.value(), 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(seen).hasSize(40).allSatisfy((value, count) -> assertThat(count).as(value).isEqualTo(1));
    }

    /** Records the listener's calls, in order, as "revoked:[...]", "assigned:[...]", "lost:[...]". */
    private static final class Recording implements ConsumerRebalanceListener {
        final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            calls.add("revoked:" + partitions.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            calls.add("assigned:" + partitions.size());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            calls.add("lost:" + partitions.size());
        }
    }

    @Test
    void theEagerProtocolRevokesEverythingAndTheCooperativeOneOnlyWhatMoves() throws Exception {
        String topic = topic("listen", 4);
        for (String assignor : List.of("range", "cooperative-sticky")) {
            String group = name("listen-" + assignor);
            Recording first = new Recording();
            try (KafkaConsumer<String, String> a = consumer(group, assignor, Map.of())) {
                a.subscribe(List.of(topic), first);
                pollUntil("the first member owns all", () -> a.assignment().size() == 4, a);
                assertThat(first.calls).as(assignor).containsExactly("assigned:4");
                first.calls.clear();
                try (KafkaConsumer<String, String> b = consumer(group, assignor, Map.of())) {
                    b.subscribe(List.of(topic));
                    pollUntil("the members split", () -> a.assignment().size() == 2 && b.assignment().size() == 2, a, b);
                }
                pollUntil("the first member owns all again", () -> a.assignment().size() == 4, a);
                if (assignor.equals("range")) {
                    // Eager: everything revoked before each rebalance, the new assignment given after.
                    assertThat(first.calls).as(assignor)
                            .containsExactly("revoked:4", "assigned:2", "revoked:2", "assigned:4");
                } else {
                    // Cooperative: only the two partitions that move are revoked; what stays is kept.
                    assertThat(first.calls).as(assignor).contains("revoked:2").doesNotContain("revoked:4");
                    assertThat(first.calls.get(first.calls.size() - 1)).isEqualTo("assigned:2");
                }
            }
        }
    }

    @Test
    void membersJoinLeaveAndStallWhileAProducerRunsAndNoRecordIsLostOrCommittedTwice() throws Exception {
        int partitions = 6;
        String topic = topic("churn", partitions);
        String group = name("churn");
        Map<String, String> shortTimeouts = Map.of("session.timeout.ms", "1000", "max.poll.interval.ms", "2000",
                "max.poll.records", "20");
        AtomicBoolean producing = new AtomicBoolean(true);
        Set<String> produced = ConcurrentHashMap.newKeySet();
        // Offsets delivered in a poll whose commitSync then succeeded, with how often.
        Map<String, Integer> committedDeliveries = new ConcurrentHashMap<>();
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        Thread producerThread = new Thread(() -> {
            try (KafkaProducer<String, String> producer = producer()) {
                for (int i = 0; producing.get(); i++) {
                    var metadata = producer.send(new ProducerRecord<>(topic, i % partitions, null, "r" + i)).get();
                    produced.add(metadata.partition() + "@" + metadata.offset());
                }
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
        producerThread.start();
        List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                consumers.add(consumer(group, "range", shortTimeouts));
                consumers.get(i).subscribe(List.of(topic));
            }
            KafkaConsumer<String, String> closing = consumers.get(0);
            KafkaConsumer<String, String> stalling = consumers.get(1);
            KafkaConsumer<String, String> staying = consumers.get(2);
            List<KafkaConsumer<String, String>> active = new ArrayList<>(consumers);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            int round = 0;
            while (System.nanoTime() < deadline) {
                round++;
                for (KafkaConsumer<String, String> c : List.copyOf(active)) {
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(20));
                    List<String> keys = new ArrayList<>();
                    records.forEach(r -> keys.add(r.partition() + "@" + r.offset()));
                    delivered.addAll(keys);
                    try {
                        c.commitSync();
                        keys.forEach(k -> committedDeliveries.merge(k, 1, Integer::sum));
                    } catch (org.apache.kafka.clients.consumer.CommitFailedException
                             | org.apache.kafka.common.errors.RebalanceInProgressException e) {
                        // Kicked out or rebalancing: these records go to the next owner again.
                    }
                }
                if (round == 50) {
                    closing.close();
                    active.remove(closing);
                }
                if (round == 100) {
                    // Stops polling: after max.poll.interval.ms it leaves the group, its partitions move.
                    active.remove(stalling);
                }
                if (round > 100 && staying.assignment().size() == partitions && produced.size() > 500) {
                    break;
                }
            }
            assertThat(staying.assignment()).as("the remaining member owns every partition")
                    .isEqualTo(partitions(topic, partitions));
            producing.set(false);
            producerThread.join();
            Set<String> all = Set.copyOf(produced);
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (!delivered.containsAll(all) && System.nanoTime() < end) {
                ConsumerRecords<String, String> records = staying.poll(Duration.ofMillis(50));
                List<String> keys = new ArrayList<>();
                records.forEach(r -> keys.add(r.partition() + "@" + r.offset()));
                delivered.addAll(keys);
                staying.commitSync();
                keys.forEach(k -> committedDeliveries.merge(k, 1, Integer::sum));
            }
            assertThat(delivered).as("no record lost").containsAll(all);
            assertThat(committedDeliveries).as("no record delivered again past a successful commit")
                    .allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
        } finally {
            producing.set(false);
            producerThread.join();
            for (KafkaConsumer<String, String> c : consumers) {
                c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
            }
        }
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() throws Exception {
        String topic = topic("session", 2);
        String group = name("session");
        // A static member does not leave on close: only its session timeout removes it.
        KafkaConsumer<String, String> gone = consumer(group, "range",
                Map.of("session.timeout.ms", "1000", "group.instance.id", name("gone")));
        try (KafkaConsumer<String, String> stays = consumer(group, "range", Map.of("session.timeout.ms", "1000"))) {
            gone.subscribe(List.of(topic));
            stays.subscribe(List.of(topic));
            pollUntil("the members split", () -> gone.assignment().size() == 1 && stays.assignment().size() == 1,
                    gone, stays);
            gone.close();
            try (Admin admin = admin()) {
                pollUntil("the remaining member owns both", () -> stays.assignment().size() == 2, stays);
                ConsumerGroupDescription after = describe(admin, group);
                assertThat(after.members()).hasSize(1);
                assertThat(after.groupState()).isEqualTo(GroupState.STABLE);
            }
        }
    }

    private static ConsumerGroupDescription describe(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
    }

    @Test
    void adminListsDescribesAndChangesGroupsAsKafkaDoes() throws Exception {
        String topic = topic("admin", 2);
        String other = topic("admin-other", 1);
        String group = name("admin");
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, "v" + i)).get();
            }
        }
        try (Admin admin = admin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(other, 0), new OffsetAndMetadata(0)))
                    .all().get();
            try (KafkaConsumer<String, String> c = consumer(group, "roundrobin", Map.of())) {
                c.subscribe(List.of(topic));
                int read = 0;
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (read < 10 && System.nanoTime() < deadline) {
                    read += c.poll(Duration.ofMillis(50)).count();
                }
                assertThat(read).isEqualTo(10);
                c.commitSync();

                Collection<GroupListing> listed = admin.listGroups().all().get();
                assertThat(listed).anySatisfy(g -> {
                    assertThat(g.groupId()).isEqualTo(group);
                    assertThat(g.groupState()).contains(GroupState.STABLE);
                });
                assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()
                        .inGroupStates(Set.of(GroupState.STABLE))).all().get())
                        .extracting(GroupListing::groupId).contains(group);
                assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()
                        .inGroupStates(Set.of(GroupState.EMPTY))).all().get())
                        .extracting(GroupListing::groupId).doesNotContain(group);
                ConsumerGroupDescription d = describe(admin, group);
                assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(d.partitionAssignor()).isEqualTo("roundrobin");
                assertThat(d.members()).singleElement().satisfies(m -> assertThat(m.assignment().topicPartitions())
                        .isEqualTo(partitions(topic, 2)));
                // The offset only: a broker also keeps the leader epoch committed with it, Cairn does not.
                assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
                        .containsKey(new TopicPartition(other, 0))
                        .extractingByKey(new TopicPartition(topic, 0)).extracting(OffsetAndMetadata::offset)
                        .isEqualTo(5L);

                assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of(group)).all().get())
                        .hasCauseInstanceOf(GroupNotEmptyException.class);
                assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets(group,
                        Set.of(new TopicPartition(topic, 0))).all().get())
                        .hasCauseInstanceOf(GroupSubscribedToTopicException.class);
                admin.deleteConsumerGroupOffsets(group, Set.of(new TopicPartition(other, 0))).all().get();
                assertThatThrownBy(() -> admin.alterConsumerGroupOffsets(group,
                        Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1))).all().get())
                        .isInstanceOf(ExecutionException.class);
            }
            await("the group is empty", () -> {
                try {
                    return describe(admin, group).groupState() == GroupState.EMPTY;
                } catch (Exception e) {
                    return false;
                }
            });
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)))
                    .all().get();
            try (KafkaConsumer<String, String> c = consumer(group, "roundrobin", Map.of())) {
                c.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> records = new ArrayList<>();
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (records.size() < 4 && System.nanoTime() < deadline) {
                    c.poll(Duration.ofMillis(50)).forEach(records::add);
                }
                assertThat(records).as("partition 0 from the altered offset 1, nothing from partition 1")
                        .hasSize(4).allSatisfy(r -> assertThat(r.partition()).isZero());
                c.commitSync();
            }
            admin.deleteConsumerGroups(List.of(group)).all().get();
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()).isEmpty();
            assertThat(admin.listGroups().all().get()).noneMatch(g -> g.groupId().equals(group));
        }
    }

    @Test
    void aRebalanceListenerCommitsBeforeItsPartitionsMove() throws Exception {
        String topic = topic("handover", 2);
        String group = name("handover");
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, "v" + i)).get();
            }
        }
        CountDownLatch revoked = new CountDownLatch(1);
        try (KafkaConsumer<String, String> a = consumer(group, "range", Map.of())) {
            a.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        a.commitSync();
                        revoked.countDown();
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            int read = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (read < 20 && System.nanoTime() < deadline) {
                read += a.poll(Duration.ofMillis(50)).count();
            }
            assertThat(read).isEqualTo(20);
            try (KafkaConsumer<String, String> b = consumer(group, "range", Map.of())) {
                b.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> late = new ArrayList<>();
                pollUntil("the members split", () -> {
                    b.poll(Duration.ofMillis(20)).forEach(late::add);
                    return a.assignment().size() == 1 && b.assignment().size() == 1;
                }, a);
                assertThat(revoked.await(0, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 5; i++) {
                    b.poll(Duration.ofMillis(20)).forEach(late::add);
                }
                assertThat(late).as("the new owner starts at the offset committed in onPartitionsRevoked").isEmpty();
            }
        }
    }
}
