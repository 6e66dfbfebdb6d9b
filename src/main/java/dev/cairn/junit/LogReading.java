package dev.cairn.junit;

import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reads every test of a topic writes by hand: all its records, its end offsets, polling until enough arrived. */
final class LogReading {
    private static final int READ_CHUNK = 1000;
    private static final Duration POLL_STEP = Duration.ofMillis(100);

    private LogReading() {
    }

    static List<ConsumerRecord> records(Log log, String topic) {
        List<ConsumerRecord> all = new ArrayList<>();
        for (TopicPartition tp : endOffsets(log, topic).keySet()) {
            long end = log.endOffset(tp);
            long next = log.beginningOffset(tp);
            while (next < end) {
                List<ConsumerRecord> chunk = log.read(tp, next, READ_CHUNK);
                if (chunk.isEmpty()) {
                    break; // the rest was compacted away
                }
                for (ConsumerRecord r : chunk) {
                    if (r.offset() < end) {
                        all.add(r);
                    }
                }
                next = chunk.get(chunk.size() - 1).offset() + 1;
            }
        }
        return all;
    }

    static Map<TopicPartition, Long> endOffsets(Log log, String topic) {
        int partitions = log.describeTopic(topic).partitions().size();
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            ends.put(tp, log.endOffset(tp));
        }
        return ends;
    }

    static List<ConsumerRecord> pollUntil(Consumer consumer, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord> polled = new ArrayList<>();
        while (polled.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                String last = polled.isEmpty() ? "" : ", the last " + position(polled.get(polled.size() - 1));
                throw new AssertionError("expected " + count + " records within " + timeout + " but " + polled.size()
                        + " arrived" + last);
            }
            polled.addAll(consumer.poll(left < POLL_STEP.toNanos() ? Duration.ofNanos(left) : POLL_STEP));
        }
        return polled;
    }

    private static String position(ConsumerRecord r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }
}
