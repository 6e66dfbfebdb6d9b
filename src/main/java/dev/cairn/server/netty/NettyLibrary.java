package dev.cairn.server.netty;

/**
 * The check a front end makes before it starts: Netty is an optional dependency, so without it a
 * start fails with a message naming the artifacts rather than a {@link NoClassDefFoundError}. This
 * class refers to no Netty type, so it loads without Netty.
 */
public final class NettyLibrary {
    private NettyLibrary() {
    }

    /**
     * @param server the server's name in the message ("the Redis server")
     * @throws IllegalStateException if Netty's transport or codec is missing
     */
    public static void require(String server) {
        ClassLoader loader = NettyLibrary.class.getClassLoader();
        try {
            Class.forName("io.netty.channel.nio.NioEventLoopGroup", false, loader);
            Class.forName("io.netty.handler.codec.ByteToMessageDecoder", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(server + " needs Netty on the class path: add the artifacts"
                    + " io.netty:netty-transport and io.netty:netty-codec (4.1), which Cairn declares as optional"
                    + " dependencies (missing: " + e.getMessage() + ")", e);
        }
    }
}
