package dev.cairn.server.kafka;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * JoinGroup, SyncGroup, Heartbeat and LeaveGroup of Kafka's classic consumer group protocol: the
 * requests read into the {@link ClassicGroupCoordinator}'s terms (what each version carries or
 * leaves out), its answers written back for the request's version. JoinGroup and SyncGroup answers
 * may come later (parked until the rebalance phase ends).
 *
 * <p>Stateless; thread-safe.
 */
final class GroupMembershipApi {
    private GroupMembershipApi() {
    }

    static CompletableFuture<ApiMessage> joinGroup(ServerState state, KafkaRequest request) {
        JoinGroupRequestData data = (JoinGroupRequestData) request.body();
        short version = request.version();
        LinkedHashMap<String, byte[]> protocols = new LinkedHashMap<>();
        for (JoinGroupRequestProtocol p : data.protocols()) {
            protocols.putIfAbsent(p.name(), p.metadata());
        }
        // Version 0 has no rebalance timeout: the session timeout serves as both (Kafka's rule).
        int rebalanceTimeoutMs = version >= 1 && data.rebalanceTimeoutMs() >= 0 ? data.rebalanceTimeoutMs()
                : data.sessionTimeoutMs();
        ClassicGroupCoordinator.JoinRequest join = new ClassicGroupCoordinator.JoinRequest(data.groupId(),
                data.memberId() == null ? "" : data.memberId(), version >= 5 ? data.groupInstanceId() : null,
                request.header().clientId(), data.sessionTimeoutMs(), rebalanceTimeoutMs,
                data.protocolType() == null ? "" : data.protocolType(), protocols, version >= 4);
        return parked(state.groups.join(join), response -> forVersion(response, version));
    }

    private static JoinGroupResponseData forVersion(JoinGroupResponseData response, short version) {
        if (version < 7) {
            // The protocol name is nullable from version 7 only; the type is not sent before it.
            response.setProtocolType(null);
            if (response.protocolName() == null) {
                response.setProtocolName("");
            }
        }
        return response;
    }

    static CompletableFuture<ApiMessage> syncGroup(ServerState state, KafkaRequest request) {
        SyncGroupRequestData data = (SyncGroupRequestData) request.body();
        short version = request.version();
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestAssignment a : data.assignments()) {
            assignments.put(a.memberId(), a.assignment());
        }
        return parked(state.groups.sync(data.groupId(), data.generationId(), data.memberId(),
                version >= 3 ? data.groupInstanceId() : null, version >= 5 ? data.protocolType() : null,
                version >= 5 ? data.protocolName() : null, assignments),
                response -> version >= 5 ? response : response.setProtocolType(null).setProtocolName(null));
    }

    /**
     * The response of a parked request, mapped for its version; cancelling it (the connection
     * closed) cancels the coordinator's future, which then stops counting the request as parked.
     */
    private static <T> CompletableFuture<ApiMessage> parked(CompletableFuture<T> source,
            Function<T, ApiMessage> map) {
        CompletableFuture<ApiMessage> result = source.thenApply(map);
        result.whenComplete((response, error) -> {
            if (error instanceof CancellationException) {
                source.cancel(false);
            }
        });
        return result;
    }

    static HeartbeatResponseData heartbeat(ServerState state, KafkaRequest request) {
        HeartbeatRequestData data = (HeartbeatRequestData) request.body();
        Errors error = state.groups.heartbeat(data.groupId(), data.generationId(), data.memberId(),
                request.version() >= 3 ? data.groupInstanceId() : null);
        return new HeartbeatResponseData().setErrorCode(error.code());
    }

    static LeaveGroupResponseData leaveGroup(ServerState state, KafkaRequest request) {
        LeaveGroupRequestData data = (LeaveGroupRequestData) request.body();
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (request.version() < 3) {
            Errors error = state.groups.leave(data.groupId(), data.memberId(), null);
            return response.setErrorCode((error == null ? Errors.UNKNOWN_MEMBER_ID : error).code());
        }
        // The batch form (static members leaving through an admin call, or one consumer): each
        // member answered on its own; a group that does not exist fails the whole request.
        for (MemberIdentity member : data.members()) {
            Errors error = state.groups.leave(data.groupId(), member.memberId() == null ? "" : member.memberId(),
                    member.groupInstanceId());
            if (error == null) {
                response.members().clear();
                return response.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
            }
            response.members().add(new MemberResponse().setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId()).setErrorCode(error.code()));
        }
        return response;
    }
}
