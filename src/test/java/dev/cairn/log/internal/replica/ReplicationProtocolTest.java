package dev.cairn.log.internal.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.ReplicationProtocol.AlterPartition;
import dev.cairn.log.internal.replica.ReplicationProtocol.AlterPartitionResponse;
import dev.cairn.log.internal.replica.ReplicationProtocol.Fetch;
import dev.cairn.log.internal.replica.ReplicationProtocol.FetchResponse;
import dev.cairn.log.internal.replica.ReplicationProtocol.Heartbeat;
import dev.cairn.log.internal.replica.ReplicationProtocol.HeartbeatResponse;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationProtocolTest {
    private static final TopicPartition TP = new TopicPartition("orders-é", 7);
    private static final PartitionState STATE = new PartitionState(TP, 2, 5, 9, List.of(1, 2, 3), List.of(2, 3));

    @Test
    void everyMessageReadsBackAsWritten() {
        Fetch fetch = new Fetch(3, 77L, TP, 5, 1234, 4, 500, 1 << 20);
        ByteBuffer f = ReplicationProtocol.encode(fetch);
        assertThat(ReplicationProtocol.readKind(f)).isEqualTo(ReplicationProtocol.FETCH);
        assertThat(ReplicationProtocol.decodeFetch(f)).isEqualTo(fetch);

        FetchResponse response = new FetchResponse(ReplicaError.NONE, 5, 100, 3, 120, true, 4, 90,
                ByteBuffer.wrap(new byte[] {1, 2, 3}));
        FetchResponse read = ReplicationProtocol.decodeFetchResponse(ReplicationProtocol.encode(response));
        assertThat(read.records()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(read).usingRecursiveComparison().ignoringFields("records").isEqualTo(response);

        AlterPartition alter = new AlterPartition(2, STATE, List.of(2, 3), List.of(11L, -5L));
        ByteBuffer a = ReplicationProtocol.encode(alter);
        assertThat(ReplicationProtocol.readKind(a)).isEqualTo(ReplicationProtocol.ALTER_PARTITION);
        assertThat(ReplicationProtocol.decodeAlterPartition(a)).isEqualTo(alter);
        AlterPartitionResponse stale = new AlterPartitionResponse(ReplicaError.STALE_STATE, STATE);
        assertThat(ReplicationProtocol.decodeAlterPartitionResponse(ReplicationProtocol.encode(stale))).isEqualTo(stale);

        Heartbeat heartbeat = new Heartbeat(3, -42, true);
        ByteBuffer h = ReplicationProtocol.encode(heartbeat);
        assertThat(ReplicationProtocol.readKind(h)).isEqualTo(ReplicationProtocol.HEARTBEAT);
        assertThat(ReplicationProtocol.decodeHeartbeat(h)).isEqualTo(heartbeat);
        HeartbeatResponse states = new HeartbeatResponse(ReplicaError.NONE, List.of(STATE, STATE.withIsr(List.of(1))));
        assertThat(ReplicationProtocol.decodeHeartbeatResponse(ReplicationProtocol.encode(states))).isEqualTo(states);

        ByteBuffer p = ReplicationProtocol.encodePartitionStates(List.of(STATE));
        assertThat(ReplicationProtocol.readKind(p)).isEqualTo(ReplicationProtocol.PARTITION_STATE);
        assertThat(ReplicationProtocol.decodePartitionStates(p)).containsExactly(STATE);
    }

    @Test
    void refusesAnotherVersionAndCountsThatDoNotFit() {
        ByteBuffer f = ReplicationProtocol.encode(new Heartbeat(1, 1, false));
        f.put(0, (byte) 9);
        assertThatThrownBy(() -> ReplicationProtocol.readKind(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        ByteBuffer huge = ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).flip();
        assertThatThrownBy(() -> ReplicationProtocol.decodeStates(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit");
        ByteBuffer cut = ReplicationProtocol.encodeStates(List.of(STATE)).limit(12);
        assertThatThrownBy(() -> ReplicationProtocol.decodeStates(cut)).isInstanceOf(BufferUnderflowException.class);
    }
}
