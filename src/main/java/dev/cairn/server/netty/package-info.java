/**
 * The Netty plumbing shared by the wire front ends ({@code dev.cairn.server.redis} and
 * {@code dev.cairn.server.kafka}): listening, I/O threads, connection tracking and shutdown.
 * Internal: not exported.
 */
package dev.cairn.server.netty;
