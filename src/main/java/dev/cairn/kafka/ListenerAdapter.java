package dev.cairn.kafka;

import dev.cairn.log.RebalanceListener;
import dev.cairn.log.TopicPartition;
import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;

/**
 * A kafka-clients {@link ConsumerRebalanceListener} as the log's {@link RebalanceListener}, with
 * the auto-commit that {@code KafkaConsumer} makes before a rebalance revokes partitions: the
 * {@code beforeRevoke} hook runs first (it commits the consumed positions when
 * {@code enable.auto.commit} is on), then the user's {@code onPartitionsRevoked}. Lost partitions
 * get no commit (they may already belong to another member), as in Kafka.
 *
 * <p>Called only on the consumer's thread, inside its calls; holds no state of its own.
 */
final class ListenerAdapter implements RebalanceListener {
    /** A listener that does nothing, for the subscribe overloads without one. */
    static final ConsumerRebalanceListener NONE = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        }
    };

    private final ConsumerRebalanceListener listener;
    private final Runnable beforeRevoke;

    ListenerAdapter(ConsumerRebalanceListener listener, Runnable beforeRevoke) {
        this.listener = listener;
        this.beforeRevoke = beforeRevoke;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        beforeRevoke.run();
        listener.onPartitionsRevoked(Conversions.toKafka(partitions));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        listener.onPartitionsLost(Conversions.toKafka(partitions));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        listener.onPartitionsAssigned(Conversions.toKafka(partitions));
    }
}
