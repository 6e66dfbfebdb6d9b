/**
 * Nodes and transports: how one Cairn node reaches another, below the log and the dictionary
 * (which replicate over it and never see which transport carries them).
 *
 * <p>A {@link dev.cairn.cluster.Transport} carries opaque request and response frames between
 * nodes named by an int id. Three implementations share the one contract: in-process (nodes in
 * one JVM), TCP (nodes in other processes) and a simulated network for tests, which delays,
 * drops, duplicates and reorders messages and cuts the network into partitions, all from one
 * seed on one thread together with a {@link dev.cairn.cluster.Scheduler} of virtual time, so a
 * whole multi-node run is replayed from its seed.
 *
 * <p>The implementations: {@link dev.cairn.cluster.InProcessTransport},
 * {@link dev.cairn.cluster.TcpTransport} (wire format in {@code TcpFrameFormat}
 * and docs/formats.md) and, in the tests, {@code SimulatedNetwork}; the schedulers:
 * {@link dev.cairn.cluster.ThreadScheduler} and, in the tests, {@code SimulatedScheduler}. What a
 * node has sent and not yet seen answered (ids, timeouts, once-only callbacks) is kept by one
 * class that every transport shares, {@code PendingRequests}.
 *
 * <p>Internal: not exported by the module.
 */
package dev.cairn.cluster;
