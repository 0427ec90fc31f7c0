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

    private record Exchange(byte[] request, int expectedStatus, SettableFuture<Object> done) {
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

    private final Selector selector;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final Queue<Exchange> pending = new ConcurrentLinkedQueue<>();
    private final Thread loop;
    private volatile boolean closed;

    LeanHttp(int port, int connections) throws IOException {
        selector = Selector.open();
        for (int i = 0; i < connections; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            Connection connection = new Connection(channel);
            channel.register(selector, 0, connection);
            idle.add(connection);
        }
        loop = new Thread(this::run, "lean-http");
        loop.setDaemon(true);
        loop.start();
    }

    /** Sends {@code request} (a whole HTTP/1.1 request); the future fails on a status other than {@code expectedStatus}. */
    ListenableFuture<?> send(byte[] request, int expectedStatus) {
        SettableFuture<Object> done = SettableFuture.create();
        pending.add(new Exchange(request, expectedStatus, done));
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

    private void assign() throws IOException {
        while (!idle.isEmpty() && !pending.isEmpty()) {
            Connection connection = idle.poll();
            Exchange exchange = pending.poll();
            connection.current = exchange;
            ByteBuffer out = ByteBuffer.wrap(exchange.request());
            while (out.hasRemaining()) {
                connection.channel.write(out);
            }
            connection.channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
        }
    }

    private void read(Connection connection, SelectionKey key) throws IOException {
        if (connection.in.remaining() == 0) {
            ByteBuffer bigger = ByteBuffer.allocate(connection.in.capacity() * 2);
            connection.in.flip();
            bigger.put(connection.in);
            connection.in = bigger;
        }
        if (connection.channel.read(connection.in) < 0) {
            throw new IOException("the server closed a connection");
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

    private void fail(Exception e) {
        Exchange exchange;
        while ((exchange = pending.poll()) != null) {
            exchange.done().setException(e);
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
