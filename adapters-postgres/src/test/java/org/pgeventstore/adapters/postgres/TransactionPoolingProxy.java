package org.pgeventstore.adapters.postgres;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transaction-pooling proxy for the PostgreSQL wire protocol, as PgBouncer runs in
 * {@code pool_mode = transaction}, small enough to read: each client connection is lent a server
 * session for one transaction at a time (until the server reports itself idle), and the server
 * sessions are reused last in, first out, PgBouncer's default. Session state (advisory locks,
 * {@code SET}) therefore does not follow a client connection from one transaction to the next.
 *
 * <p>For tests only: trust authentication to the server, no TLS, one transaction per
 * {@code Sync} (so use {@code prepareThreshold=0}; pipelined syncs are not supported).
 */
public final class TransactionPoolingProxy implements AutoCloseable {

    private static final int PROTOCOL_3 = 196608;
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final String serverHost;
    private final int serverPort;
    private final String database;
    private final String user;
    private final ServerSocket listener;
    private final Deque<ServerSession> idle = new ArrayDeque<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<byte[]> parameterStatus = new ArrayList<>();
    private volatile boolean closed;

    /** A proxy in front of the database of {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db}). */
    public TransactionPoolingProxy(String jdbcUrl, String user) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        this.serverHost = uri.getHost();
        this.serverPort = uri.getPort() < 0 ? 5432 : uri.getPort();
        this.database = uri.getPath().substring(1);
        this.user = user;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("pooling-proxy-accept").start(this::accept);
    }

    /** The JDBC URL of the database through this proxy. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + listener.getLocalPort() + "/" + database + "?prepareThreshold=0&sslmode=disable";
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                Thread.ofPlatform().daemon().name("pooling-proxy-client").start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        ServerSession lent = null;
        OutputStream out = null;
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            out = client.getOutputStream();
            if (!startUp(in, out)) {
                return;
            }
            while (true) {
                int type = in.read();
                if (type < 0 || type == 'X') {
                    return;
                }
                byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                if (lent == null || lent.client != out) {
                    lent = borrow(out);
                }
                lent.send(type, body);
            }
        } catch (IOException e) {
            // The client went away.
        } finally {
            if (lent != null && lent.client == out) {
                // Gone in the middle of a transaction: the session's state is unknown, so it is not reused.
                lent.discard();
            }
        }
    }

    /** Answers the client's start-up as a server would, without a server session of its own. */
    private boolean startUp(DataInputStream in, OutputStream out) throws IOException {
        while (true) {
            byte[] packet = new byte[in.readInt() - 4];
            in.readFully(packet);
            int code = ByteBuffer.wrap(packet).getInt();
            if (code == SSL_REQUEST || code == GSS_REQUEST) {
                out.write('N');
                out.flush();
            } else if (code == PROTOCOL_3) {
                break;
            } else {
                return false;
            }
        }
        synchronized (this) {
            if (parameterStatus.isEmpty()) {
                ServerSession first = new ServerSession();
                idle.push(first);
            }
        }
        DataOutputStream reply = new DataOutputStream(out);
        reply.write('R');
        reply.writeInt(8);
        reply.writeInt(0);
        synchronized (this) {
            for (byte[] status : parameterStatus) {
                reply.write(status);
            }
        }
        reply.write('K');
        reply.writeInt(12);
        reply.writeInt(1);
        reply.writeInt(1);
        reply.write('Z');
        reply.writeInt(5);
        reply.write('I');
        reply.flush();
        return true;
    }

    private synchronized ServerSession borrow(OutputStream client) throws IOException {
        ServerSession session = idle.isEmpty() ? new ServerSession() : idle.pop();
        session.client = client;
        return session;
    }

    private synchronized void giveBack(ServerSession session) {
        session.client = null;
        idle.push(session);
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
    }

    /** One session on the real server, lent to one client at a time. */
    private final class ServerSession {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;
        private volatile OutputStream client;

        ServerSession() throws IOException {
            socket = new Socket(serverHost, serverPort);
            sockets.add(socket);
            in = new DataInputStream(socket.getInputStream());
            out = new DataOutputStream(socket.getOutputStream());
            startUp();
            Thread.ofPlatform().daemon().name("pooling-proxy-server").start(this::relay);
        }

        private void startUp() throws IOException {
            ByteBuffer parameters = ByteBuffer.allocate(512);
            for (String text : new String[] {"user", user, "database", database, "client_encoding", "UTF8",
                    "DateStyle", "ISO", "TimeZone", "UTC"}) {
                parameters.put(text.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
            }
            parameters.put((byte) 0);
            out.writeInt(8 + parameters.position());
            out.writeInt(PROTOCOL_3);
            out.write(parameters.array(), 0, parameters.position());
            out.flush();
            while (true) {
                int type = in.read();
                byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                if (type == 'R' && ByteBuffer.wrap(body).getInt() != 0) {
                    throw new IOException("the pooling proxy supports trust authentication only");
                }
                if (type == 'E') {
                    throw new IOException("the server refused the proxy: " + new String(body, StandardCharsets.UTF_8));
                }
                if (type == 'S') {
                    synchronized (TransactionPoolingProxy.this) {
                        if (parameterStatus.size() < 32) {
                            parameterStatus.add(message(type, body));
                        }
                    }
                }
                if (type == 'Z') {
                    return;
                }
            }
        }

        void send(int type, byte[] body) throws IOException {
            synchronized (out) {
                out.write(message(type, body));
                out.flush();
            }
        }

        /** Forwards the server's messages to the client it is lent to; idle again after each transaction. */
        private void relay() {
            try {
                while (true) {
                    int type = in.read();
                    if (type < 0) {
                        return;
                    }
                    byte[] body = new byte[in.readInt() - 4];
                    in.readFully(body);
                    OutputStream to = client;
                    if (type == 'Z' && body[0] == 'I') {
                        // Idle: back to the pool before the client hears it, so its next transaction borrows anew.
                        giveBack(this);
                    }
                    if (to != null) {
                        synchronized (to) {
                            to.write(message(type, body));
                            to.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // The server session ended.
            }
        }

        void discard() {
            client = null;
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
    }

    private static byte[] message(int type, byte[] body) {
        ByteBuffer buffer = ByteBuffer.allocate(5 + body.length);
        buffer.put((byte) type).putInt(4 + body.length).put(body);
        return buffer.array();
    }
}
