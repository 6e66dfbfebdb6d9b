package dev.cairn.server.kafka;

import dev.cairn.common.CairnException;
import dev.cairn.log.Acks;
import dev.cairn.log.InvalidBatchException;
import dev.cairn.log.NotEnoughReplicasAfterAppendException;
import dev.cairn.log.NotEnoughReplicasException;
import dev.cairn.log.NotLeaderException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.RecordTooLargeException;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicDescription;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Produce and InitProducerId. Each partition's data must be one record batch of magic 2 (as Kafka
 * requires from Produce version 3 on), CRC-valid, no larger than the topic's
 * {@code max.message.bytes}. An uncompressed batch is appended as it came
 * ({@link dev.cairn.log.Log#appendBatch}); a compressed one is decoded ({@link RecordConversion})
 * and appended uncompressed as one batch. Both go through {@link ProducerStates} when the batch
 * carries a producer id. The request's acks are the log's ({@link Acks}): 1 answers once the
 * leader's copy is as durable as the topic's policy promises, -1 (all) once every in-sync replica
 * has the records too, with Kafka's NOT_ENOUGH_REPLICAS (before the append),
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND and NOT_LEADER_OR_FOLLOWER when the replicas cannot; acks 0
 * gets no response, and a failure then closes the connection (Kafka's way of telling such a
 * producer). Transactions are not served: a transactional id, or a
 * transactional or control batch, is refused.
 *
 * <p>Stateless (the state is the server's {@link ProducerStates}); thread-safe.
 */
final class ProduceApi {
    private ProduceApi() {
    }

    static CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
        ProduceRequestData data = (ProduceRequestData) request.body();
        short version = request.version();
        short acks = data.acks();
        Errors requestError = Errors.NONE;
        if (acks != 0 && acks != 1 && acks != -1) {
            requestError = Errors.INVALID_REQUIRED_ACKS;
        } else if (data.transactionalId() != null) {
            requestError = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        ProduceResponseData response = new ProduceResponseData();
        boolean failed = false;
        for (TopicProduceData topicData : data.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse();
            String name;
            if (version >= 13) {
                topicResponse.setTopicId(topicData.topicId());
                name = state.topicIds.nameOf(topicData.topicId());
            } else {
                topicResponse.setName(topicData.name());
                name = topicData.name();
            }
            Errors topicError = name == null ? Errors.UNKNOWN_TOPIC_ID : requestError;
            TopicDescription description = null;
            if (topicError == Errors.NONE) {
                try {
                    description = state.log.describeTopic(name);
                } catch (UnknownTopicException e) {
                    topicError = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                }
            }
            for (PartitionProduceData partitionData : topicData.partitionData()) {
                PartitionProduceResponse result = topicError != Errors.NONE
                        ? error(partitionData.index(), topicError, null)
                        : producePartition(state, description, partitionData, acksOf(acks));
                failed |= result.errorCode() != Errors.NONE.code();
                topicResponse.partitionResponses().add(result);
            }
            response.responses().add(topicResponse);
        }
        if (acks == 0) {
            if (failed) {
                return CompletableFuture.failedFuture(
                        new CloseConnectionException("a produce request with acks 0 failed"));
            }
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static PartitionProduceResponse error(int partition, Errors error, String message) {
        return new PartitionProduceResponse().setIndex(partition).setErrorCode(error.code()).setBaseOffset(-1)
                .setLogAppendTimeMs(-1).setLogStartOffset(-1).setErrorMessage(message);
    }

    private static PartitionProduceResponse producePartition(ServerState state, TopicDescription topic,
            PartitionProduceData data, Acks acks) {
        int partition = data.index();
        if (partition < 0 || partition >= topic.partitions().size()) {
            return error(partition, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        }
        if (!(data.records() instanceof MemoryRecords records)) {
            return error(partition, Errors.INVALID_RECORD, "no records");
        }
        Iterator<MutableRecordBatch> batches = records.batches().iterator();
        MutableRecordBatch batch;
        try {
            batch = batches.hasNext() ? batches.next() : null;
            if (batch == null || batches.hasNext()) {
                return error(partition, Errors.INVALID_RECORD, "a produce request must hold exactly one record batch"
                        + " per partition");
            }
        } catch (RuntimeException e) {
            return error(partition, Errors.CORRUPT_MESSAGE, "the record batch does not parse: " + e.getMessage());
        }
        int maxBytes = topic.config().maxRecordBytes();
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            return error(partition, Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT, "record batches must be of magic 2, not "
                    + batch.magic());
        }
        if (batch.sizeInBytes() > maxBytes) {
            return error(partition, Errors.MESSAGE_TOO_LARGE, "the batch of " + batch.sizeInBytes()
                    + " bytes is larger than the topic's max.message.bytes (" + maxBytes + ")");
        }
        if (!batch.isValid()) {
            return error(partition, Errors.CORRUPT_MESSAGE, "the record batch's CRC does not match");
        }
        if (batch.isTransactional() || batch.isControlBatch()) {
            return error(partition, Errors.INVALID_RECORD, "transactions are not supported");
        }
        TopicPartition tp = new TopicPartition(topic.name(), partition);
        try {
            // An uncompressed batch is stored as it came (the log checks it again, in one walk over
            // its records); a compressed one is decoded and stored uncompressed, since the log reads
            // every batch it holds without the codecs, which only this front end brings; so is one
            // whose records carry no timestamp (a base timestamp of -1, as raw clients send), which
            // take the log's clock. A producer that timestamps its batch but leaves one record
            // without gets INVALID_RECORD from the log's check: kafka-clients never sends that.
            // The log decides the timestamp type (the topic's when the append runs); the response
            // carries the stamp under LogAppendTime, -1 under CreateTime, as Kafka's does.
            long[] logAppendTimeMs = {-1};
            LongSupplier appender;
            if (batch.compressionType() == CompressionType.NONE && batch instanceof DefaultRecordBatch v2
                    && v2.baseTimestamp() >= 0) {
                ByteBuffer bytes = records.buffer().duplicate();
                appender = () -> appended(state.log.appendBatch(tp, bytes, acks), logAppendTimeMs);
            } else {
                List<ProducerRecord> decoded = RecordConversion.decode(topic.name(), partition, batch, maxBytes);
                if (decoded.isEmpty()) {
                    return error(partition, Errors.INVALID_RECORD, "the record batch holds no records");
                }
                appender = () -> appended(state.log.append(decoded, acks).get(0), logAppendTimeMs);
            }
            long baseOffset;
            if (batch.hasProducerId()) {
                ProducerStates.Outcome outcome = state.producers.append(tp, batch.producerId(), batch.producerEpoch(),
                        batch.baseSequence(), batch.lastSequence(), appender);
                if (outcome.error() != Errors.NONE) {
                    return error(partition, outcome.error(), null);
                }
                baseOffset = outcome.baseOffset();
            } else {
                baseOffset = appender.getAsLong();
            }
            return new PartitionProduceResponse().setIndex(partition).setBaseOffset(baseOffset)
                    .setLogAppendTimeMs(logAppendTimeMs[0]).setLogStartOffset(state.log.beginningOffset(tp));
        } catch (RecordConversion.TooLargeException | RecordTooLargeException e) {
            return error(partition, Errors.MESSAGE_TOO_LARGE, e.getMessage());
        } catch (InvalidBatchException e) {
            return error(partition, Errors.INVALID_RECORD, e.getMessage());
        } catch (NotEnoughReplicasAfterAppendException e) {
            return error(partition, Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, e.getMessage());
        } catch (NotEnoughReplicasException e) {
            return error(partition, Errors.NOT_ENOUGH_REPLICAS, e.getMessage());
        } catch (NotLeaderException e) {
            return error(partition, Errors.NOT_LEADER_OR_FOLLOWER, e.getMessage());
        } catch (UnknownTopicException | IllegalArgumentException e) {
            return error(partition, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        } catch (CairnException e) {
            return error(partition, Errors.KAFKA_STORAGE_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            // Kafka's record decoding throws its own exceptions for a batch whose records do not add up.
            return error(partition, Errors.CORRUPT_MESSAGE, "the records do not parse: " + e.getMessage());
        }
    }

    /** The log's acks for a produce request's: 0, 1 or -1 (checked before). */
    private static Acks acksOf(short acks) {
        return switch (acks) {
            case 0 -> Acks.NONE;
            case 1 -> Acks.LEADER;
            default -> Acks.ALL;
        };
    }

    /** The offset of an append's first record, keeping its time in {@code logAppendTimeMs} if the log stamped it. */
    private static long appended(RecordMetadata first, long[] logAppendTimeMs) {
        if (first.timestampType() == TimestampType.LOG_APPEND_TIME) {
            logAppendTimeMs[0] = first.timestampMs();
        }
        return first.offset();
    }

    /**
     * A producer id for an idempotent producer, or the next epoch of the one it has (a producer
     * bumps its epoch to reset its sequences after an error). Transactional ids are not served.
     */
    static InitProducerIdResponseData initProducerId(ServerState state, KafkaRequest request) {
        InitProducerIdRequestData data = (InitProducerIdRequestData) request.body();
        InitProducerIdResponseData response = new InitProducerIdResponseData();
        if (data.transactionalId() != null) {
            return response.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()).setProducerId(-1)
                    .setProducerEpoch((short) -1);
        }
        if (data.producerId() >= 0 && data.producerEpoch() >= 0 && data.producerEpoch() < Short.MAX_VALUE - 1) {
            return response.setProducerId(data.producerId()).setProducerEpoch((short) (data.producerEpoch() + 1));
        }
        return response.setProducerId(state.producers.newProducerId()).setProducerEpoch((short) 0);
    }
}
