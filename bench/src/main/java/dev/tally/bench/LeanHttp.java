package dev.tally.bench;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A lean HTTP/1.1 load client: raw request bytes written over keep-alive connections by one selector
 * thread, each response read only far enough to know its status and where it ends (Content-Length), never
 * parsed further. Its own CPU per call is a few microseconds, so the server's share of the two cores, not
 * the client's, sets the figures.
 */
final class LeanHttp implements AutoCloseable {

    /** A request, and whether it has already been sent again after its connection turned out closed. */
    private record Exchange(byte[] request, int expectedStatus, SettableFuture<Object> done, boolean resent) {
    }

    /** One keep-alive connection and the exchange it is carrying, if any. */
    private static final class Connection {
        final SocketChannel channel;
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        Exchange current;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final int port;
    private final Selector selector;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final Queue<Exchange> pending = new ConcurrentLinkedQueue<>();
    private final Thread loop;
    private volatile boolean closed;

    LeanHttp(int port, int connections) throws IOException {
        this.port = port;
        selector = Selector.open();
        for (int i = 0; i < connections; i++) {
            idle.add(open());
        }
        loop = new Thread(this::run, "lean-http");
        loop.setDaemon(true);
        loop.start();
    }

    /** Sends {@code request} (a whole HTTP/1.1 request); the future fails on a status other than {@code expectedStatus}. */
    ListenableFuture<?> send(byte[] request, int expectedStatus) {
        SettableFuture<Object> done = SettableFuture.create();
        pending.add(new Exchange(request, expectedStatus, done, false));
        selector.wakeup();
        return done;
    }

    private void run() {
        try {
            while (!closed) {
                assign();
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    read((Connection) key.attachment(), key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            if (!closed) {
                fail(e instanceof IOException io ? io : new IOException(e));
            }
        }
    }

    private Connection open() throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        Connection connection = new Connection(channel);
        channel.register(selector, 0, connection);
        return connection;
    }

    private void assign() throws IOException {
        while (!idle.isEmpty() && !pending.isEmpty()) {
            send(idle.poll(), pending.poll());
        }
    }

    private void send(Connection connection, Exchange exchange) throws IOException {
        connection.current = exchange;
        ByteBuffer out = ByteBuffer.wrap(exchange.request());
        try {
            while (out.hasRemaining()) {
                connection.channel.write(out);
            }
        } catch (IOException closed) {
            reopen(connection);
            return;
        }
        connection.channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
    }

    /**
     * Replaces a connection the server closed, as it closes a keep-alive connection left idle past its idle
     * timeout (the HTTP cases wait through all the gRPC ones). A request of which no reply had come is sent again
     * once, on the new connection; any other fails.
     */
    private void reopen(Connection connection) throws IOException {
        connection.channel.keyFor(selector).cancel();
        connection.channel.close();
        // Only a connection carrying an exchange is written to or read from, so there is always one.
        Exchange exchange = connection.current;
        Connection fresh = open();
        if (connection.in.position() == 0 && !exchange.resent()) {
            send(fresh, new Exchange(exchange.request(), exchange.expectedStatus(), exchange.done(), true));
        } else {
            exchange.done().setException(new IOException("the server closed a connection before its reply ended"));
            idle.add(fresh);
        }
    }

    private void read(Connection connection, SelectionKey key) throws IOException {
        if (connection.in.remaining() == 0) {
            ByteBuffer bigger = ByteBuffer.allocate(connection.in.capacity() * 2);
            connection.in.flip();
            bigger.put(connection.in);
            connection.in = bigger;
        }
        int read;
        try {
            read = connection.channel.read(connection.in);
        } catch (IOException reset) {
            read = -1;
        }
        if (read < 0) {
            reopen(connection);
            return;
        }
        int end = responseEnd(connection.in);
        if (end < 0) {
            return;
        }
        byte[] bytes = connection.in.array();
        int status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
        Exchange exchange = connection.current;
        connection.current = null;
        connection.in.clear();
        key.interestOps(0);
        idle.add(connection);
        if (status == exchange.expectedStatus()) {
            exchange.done().set(status);
        } else {
            exchange.done().setException(new IllegalStateException("HTTP " + status));
        }
    }

    /** Where the response in {@code buffer} ends, or -1 while it is incomplete. */
    private static int responseEnd(ByteBuffer buffer) {
        byte[] bytes = buffer.array();
        int length = buffer.position();
        for (int i = 3; i < length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                int body = contentLength(new String(bytes, 0, i, StandardCharsets.ISO_8859_1));
                return length >= i + 1 + body ? i + 1 + body : -1;
            }
        }
        return -1;
    }

    private static int contentLength(String head) {
        int at = head.toLowerCase(java.util.Locale.ROOT).indexOf("\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int end = head.indexOf('\r', at + 1);
        return Integer.parseInt(head.substring(at + "\ncontent-length:".length(), end < 0 ? head.length() : end).trim());
    }

    /** Fails every exchange, queued or under way: the loop has stopped. */
    private void fail(Exception e) {
        Exchange exchange;
        while ((exchange = pending.poll()) != null) {
            exchange.done().setException(e);
        }
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection connection && connection.current != null) {
                    connection.current.done().setException(e);
                }
            }
        } catch (java.nio.channels.ClosedSelectorException alreadyClosed) {
            // Nothing is under way on a closed selector.
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
