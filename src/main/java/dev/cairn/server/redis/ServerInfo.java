package dev.cairn.server.redis;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.DictionaryStats;
import dev.cairn.dictionary.command.Arguments;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * INFO's text: the sections and fields that clients, exporters and dashboards parse
 * ({@code field:value} lines ending in CRLF, {@code # Section} headers, a blank line between
 * sections), with Cairn's own figures. Memory figures are the JVM heap's.
 */
final class ServerInfo {
    private static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "persistence",
            "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    /** A fixed replication id: a standalone master has no history to distinguish. */
    private static final String REPLICATION_ID = "0000000000000000000000000000000000000000";

    private ServerInfo() {
    }

    static String info(ClientConnection client, Arguments a) {
        Set<String> sections = new LinkedHashSet<>();
        if (a.count() == 1) {
            sections.addAll(DEFAULT_SECTIONS);
        }
        for (int i = 1; i < a.count(); i++) {
            String name = a.text(i).toLowerCase(Locale.ROOT);
            if (name.equals("all") || name.equals("everything") || name.equals("default")) {
                sections.addAll(DEFAULT_SECTIONS);
                sections.add("commandstats");
            } else {
                sections.add(name);
            }
        }
        StringBuilder text = new StringBuilder();
        for (String section : sections) {
            int before = text.length();
            if (before > 0) {
                text.append("\r\n");
            }
            if (!appendSection(text, section, client.server)) {
                text.setLength(before);
            }
        }
        return text.toString();
    }

    private static boolean appendSection(StringBuilder t, String section, ServerState server) {
        switch (section) {
            case "server" -> {
                t.append("# Server\r\n");
                field(t, "redis_version", ServerCommands.REDIS_VERSION);
                field(t, "redis_git_sha1", "00000000");
                field(t, "redis_git_dirty", "0");
                field(t, "redis_build_id", "0");
                field(t, "redis_mode", "standalone");
                field(t, "server_name", "cairn");
                field(t, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
                field(t, "arch_bits", "64");
                field(t, "multiplexing_api", "netty");
                field(t, "java_version", System.getProperty("java.version"));
                field(t, "process_id", Long.toString(ProcessHandle.current().pid()));
                field(t, "run_id", REPLICATION_ID);
                field(t, "tcp_port", Integer.toString(server.port));
                field(t, "server_time_usec", Long.toString(System.currentTimeMillis() * 1000));
                long uptime = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - server.startNanos);
                field(t, "uptime_in_seconds", Long.toString(uptime));
                field(t, "uptime_in_days", Long.toString(uptime / 86_400));
                field(t, "executable", "");
                field(t, "config_file", "");
            }
            case "clients" -> {
                t.append("# Clients\r\n");
                field(t, "connected_clients", Integer.toString(server.clients.size()));
                field(t, "maxclients", Integer.toString(server.maxClients));
                field(t, "blocked_clients", Integer.toString(server.blockedClients()));
                field(t, "tracking_clients", "0");
                field(t, "clients_in_timeout_table", "0");
            }
            case "memory" -> {
                Runtime runtime = Runtime.getRuntime();
                long used = runtime.totalMemory() - runtime.freeMemory();
                t.append("# Memory\r\n");
                field(t, "used_memory", Long.toString(used));
                field(t, "used_memory_human", human(used));
                field(t, "used_memory_rss", Long.toString(runtime.totalMemory()));
                field(t, "used_memory_peak", Long.toString(runtime.totalMemory()));
                field(t, "total_system_memory", Long.toString(runtime.maxMemory()));
                field(t, "maxmemory", "0");
                field(t, "maxmemory_human", "0B");
                field(t, "maxmemory_policy", "noeviction");
                field(t, "mem_fragmentation_ratio", "1.00");
                field(t, "mem_allocator", "jvm");
            }
            case "persistence" -> {
                DictionaryStats stats = server.dictionary.stats();
                t.append("# Persistence\r\n");
                field(t, "loading", "0");
                field(t, "async_loading", "0");
                field(t, "rdb_changes_since_last_save", Long.toString(stats.changesSinceSnapshot()));
                field(t, "rdb_bgsave_in_progress", server.backgroundSaveRunning ? "1" : "0");
                field(t, "rdb_last_save_time", Long.toString(server.lastSaveSeconds));
                field(t, "rdb_last_bgsave_status", "ok");
                field(t, "rdb_saves", Long.toString(stats.snapshotsCompleted()));
                field(t, "aof_enabled", stats.persistent() ? "1" : "0");
                field(t, "aof_rewrite_in_progress", "0");
                field(t, "aof_last_write_status", "ok");
                field(t, "aof_current_size", Long.toString(stats.appendOnlyBytes()));
            }
            case "stats" -> {
                t.append("# Stats\r\n");
                field(t, "total_connections_received", Long.toString(server.connectionsReceived.get()));
                field(t, "total_commands_processed", Long.toString(server.commandsProcessed.get()));
                field(t, "instantaneous_ops_per_sec", "0");
                field(t, "rejected_connections", Long.toString(server.rejectedConnections.get()));
                long expired = 0;
                long hits = 0;
                long misses = 0;
                // Redis counts server-wide: the sum over the databases opened so far.
                for (Dictionary database : server.openDatabases()) {
                    if (database != null) {
                        DictionaryStats stats = database.stats();
                        expired += stats.expiredKeys();
                        hits += stats.keyspaceHits();
                        misses += stats.keyspaceMisses();
                    }
                }
                field(t, "expired_keys", Long.toString(expired));
                // Redis's estimate of the share of expired keys among those with a deadline, and the
                // time its active expiry was cut short: 0 on a server whose expiry keeps up.
                field(t, "expired_stale_perc", "0.00");
                field(t, "expired_time_cap_reached_count", "0");
                field(t, "evicted_keys", "0");
                field(t, "keyspace_hits", Long.toString(hits));
                field(t, "keyspace_misses", Long.toString(misses));
                field(t, "pubsub_channels", Integer.toString(server.pubSub.channels(null).size()));
                field(t, "pubsub_patterns", Long.toString(server.pubSub.patternCount()));
            }
            case "replication" -> {
                t.append("# Replication\r\n");
                field(t, "role", "master");
                field(t, "connected_slaves", "0");
                field(t, "master_failover_state", "no-failover");
                field(t, "master_replid", REPLICATION_ID);
                field(t, "master_replid2", REPLICATION_ID);
                field(t, "master_repl_offset", "0");
                field(t, "second_repl_offset", "-1");
                field(t, "repl_backlog_active", "0");
            }
            case "cpu" -> {
                t.append("# CPU\r\n");
                double cpuSeconds = cpuSeconds();
                field(t, "used_cpu_sys", "0.000000");
                field(t, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpuSeconds));
            }
            case "modules" -> t.append("# Modules\r\n");
            case "errorstats" -> t.append("# Errorstats\r\n");
            case "cluster" -> {
                t.append("# Cluster\r\n");
                field(t, "cluster_enabled", "0");
            }
            case "keyspace" -> {
                t.append("# Keyspace\r\n");
                Dictionary[] databases = server.openDatabases();
                for (int i = 0; i < databases.length; i++) {
                    if (databases[i] == null) {
                        continue;
                    }
                    DictionaryStats stats = databases[i].stats();
                    if (stats.keys() > 0) {
                        field(t, "db" + i, "keys=" + stats.keys() + ",expires=" + stats.keysWithDeadline()
                                + ",avg_ttl=" + stats.averageTtlMs());
                    }
                }
            }
            case "commandstats" -> t.append("# Commandstats\r\n");
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The process's CPU time, user and system together (the JDK does not tell them apart). */
    private static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    private static void field(StringBuilder t, String name, String value) {
        t.append(name).append(':').append(value).append("\r\n");
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String[] units = {"K", "M", "G", "T"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
    }
}
