#!/usr/bin/env python3
"""A tiny HTTP server for a DSR real server: answers every GET with its name, every POST with what arrived.

usage: dsr-rs-http.py NAME VIP [PORT]
HTTP/1.1 with keep-alive, so a client can send several requests on one connection.
"""
import hashlib
import http.server
import socketserver
import sys

name, vip = sys.argv[1], sys.argv[2]
port = int(sys.argv[3]) if len(sys.argv) > 3 else 80


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = f"served by {name}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        # An upload: read the body and say how much arrived, with its SHA-256, so a client can check it.
        left = int(self.headers.get("Content-Length", "0"))
        digest = hashlib.sha256()
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 20))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
        body = f"{name} got {int(self.headers.get('Content-Length', '0')) - left} bytes sha256 {digest.hexdigest()}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


# Bound to every address: the VIP (on lo) for DSR traffic, the server's own for health monitors (tcp-default).
Server(("0.0.0.0", port), Handler).serve_forever()
