package dev.cairn.server.kafka;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The table of the Kafka APIs this server serves: each API's key, the versions served, and the
 * handler that serves it. ApiVersions answers from this table and requests are dispatched by it,
 * so what is advertised and what is served cannot differ. The versions run from the oldest that
 * kafka-clients' message classes still read to the newest stable one they write, which covers
 * every version kafka-clients 3.x and 4.x send by default.
 *
 * <p>Immutable.
 */
enum ServedApi {
    PRODUCE(ApiKeys.PRODUCE) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return ProduceApi.handle(state, request);
        }
    },
    FETCH(ApiKeys.FETCH) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return FetchApi.handle(state, request);
        }
    },
    LIST_OFFSETS(ApiKeys.LIST_OFFSETS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(ListOffsetsApi.handle(state, request));
        }
    },
    METADATA(ApiKeys.METADATA) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(MetadataApi.handle(state, request));
        }
    },
    OFFSET_COMMIT(ApiKeys.OFFSET_COMMIT) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(GroupOffsetsApi.offsetCommit(state, request));
        }
    },
    OFFSET_FETCH(ApiKeys.OFFSET_FETCH) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(GroupOffsetsApi.offsetFetch(state, request));
        }
    },
    FIND_COORDINATOR(ApiKeys.FIND_COORDINATOR) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(GroupOffsetsApi.findCoordinator(state, request));
        }
    },
    JOIN_GROUP(ApiKeys.JOIN_GROUP) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return GroupMembershipApi.joinGroup(state, request);
        }
    },
    HEARTBEAT(ApiKeys.HEARTBEAT) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(GroupMembershipApi.heartbeat(state, request));
        }
    },
    LEAVE_GROUP(ApiKeys.LEAVE_GROUP) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(GroupMembershipApi.leaveGroup(state, request));
        }
    },
    SYNC_GROUP(ApiKeys.SYNC_GROUP) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return GroupMembershipApi.syncGroup(state, request);
        }
    },
    DESCRIBE_GROUPS(ApiKeys.DESCRIBE_GROUPS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(GroupAdminApi.describeGroups(state, request));
        }
    },
    LIST_GROUPS(ApiKeys.LIST_GROUPS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(GroupAdminApi.listGroups(state, request));
        }
    },
    API_VERSIONS(ApiKeys.API_VERSIONS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(apiVersions());
        }
    },
    CREATE_TOPICS(ApiKeys.CREATE_TOPICS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(TopicAdminApi.createTopics(state, request));
        }
    },
    DELETE_TOPICS(ApiKeys.DELETE_TOPICS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(TopicAdminApi.deleteTopics(state, request));
        }
    },
    INIT_PRODUCER_ID(ApiKeys.INIT_PRODUCER_ID) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(ProduceApi.initProducerId(state, request));
        }
    },
    CREATE_PARTITIONS(ApiKeys.CREATE_PARTITIONS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(PartitionAdminApi.createPartitions(state, request));
        }
    },
    DESCRIBE_CONFIGS(ApiKeys.DESCRIBE_CONFIGS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(TopicConfigApi.describeConfigs(state, request));
        }
    },
    INCREMENTAL_ALTER_CONFIGS(ApiKeys.INCREMENTAL_ALTER_CONFIGS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(TopicConfigApi.incrementalAlterConfigs(state, request));
        }
    },
    DELETE_RECORDS(ApiKeys.DELETE_RECORDS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(PartitionAdminApi.deleteRecords(state, request));
        }
    },
    DELETE_GROUPS(ApiKeys.DELETE_GROUPS) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(GroupAdminApi.deleteGroups(state, request));
        }
    },
    OFFSET_DELETE(ApiKeys.OFFSET_DELETE) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(GroupAdminApi.offsetDelete(state, request));
        }
    },
    DESCRIBE_CLUSTER(ApiKeys.DESCRIBE_CLUSTER) {
        @Override
        CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
            return CompletableFuture.completedFuture(PartitionAdminApi.describeCluster(state, request));
        }
    };

    private static final ServedApi[] BY_KEY = byKey();

    final ApiKeys key;
    final short oldestVersion;
    final short latestVersion;

    ServedApi(ApiKeys key) {
        this.key = key;
        this.oldestVersion = key.oldestVersion();
        this.latestVersion = key.latestVersion(false);
    }

    /**
     * Serves {@code request}: a future of the response body, or of null for a request that gets no
     * response (a produce with acks 0). A future failed with {@link CloseConnectionException} closes
     * the connection.
     */
    abstract CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request);

    boolean supports(short version) {
        return version >= oldestVersion && version <= latestVersion;
    }

    /** The served API with key {@code id}, or null. */
    static ServedApi of(short id) {
        return id >= 0 && id < BY_KEY.length ? BY_KEY[id] : null;
    }

    private static ServedApi[] byKey() {
        int max = 0;
        for (ServedApi api : values()) {
            max = Math.max(max, api.key.id);
        }
        ServedApi[] table = new ServedApi[max + 1];
        for (ServedApi api : values()) {
            table[api.key.id] = api;
        }
        return table;
    }

    /** The ApiVersions response body: every served API with its versions, no features. */
    static ApiVersionsResponseData apiVersions() {
        ApiVersionsResponseData.ApiVersionCollection keys = new ApiVersionsResponseData.ApiVersionCollection();
        for (ServedApi api : values()) {
            keys.add(new ApiVersion().setApiKey(api.key.id).setMinVersion(api.oldestVersion)
                    .setMaxVersion(api.latestVersion));
        }
        return new ApiVersionsResponseData().setApiKeys(keys);
    }
}
