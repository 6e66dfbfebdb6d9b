/**
 * The Redis front end's wire codec: RESP (the REdis Serialization Protocol), versions 2 and 3.
 *
 * <p>{@link dev.cairn.server.redis.RespRequestParser} turns the bytes a client sends into
 * {@link dev.cairn.server.redis.RespCommand}s, with Redis 7's framing, limits and protocol error
 * texts; {@link dev.cairn.server.redis.RespDecoder} is its Netty handler.
 * {@link dev.cairn.server.redis.RespWriter} encodes replies as Redis 7 does for RESP2 and RESP3
 * clients.
 *
 * <p>This package is the only one in Cairn that imports Netty, an optional dependency; it uses only
 * the public API packages of the core.
 */
package dev.cairn.server.redis;
