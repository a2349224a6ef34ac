package dev.outpost.edge.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http will not send (a foreign Host header) or
 * send slowly (a body that stalls half-way).
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
  }

  /** Writes raw text (CRLFs included by the caller). */
  RawHttp write(String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /** Reads the whole answer (the request said Connection: close). */
  String readAll() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  static String body(String response) {
    int i = response.indexOf("\r\n\r\n");
    return i < 0 ? "" : response.substring(i + 4);
  }

  static String request(String method, String path, String host, String contentType, String body) {
    StringBuilder r = new StringBuilder();
    r.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    r.append("Host: ").append(host).append("\r\n");
    r.append("Connection: close\r\n");
    if (body != null) {
      r.append("Content-Type: ").append(contentType).append("\r\n");
      r.append("Content-Length: ")
          .append(body.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n");
    }
    r.append("\r\n");
    if (body != null) {
      r.append(body);
    }
    return r.toString();
  }

  static String exchange(int port, String request) throws IOException {
    try (RawHttp http = new RawHttp(port)) {
      return http.write(request).readAll();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
