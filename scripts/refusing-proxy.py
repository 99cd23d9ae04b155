"""A proxy in front of a triple store that refuses to give one graph whole, as Virtuoso
refuses any graph of more than a million triples ("FRVEC ... max vector length"): a
Graph Store GET of the graph named on the command line answers 500; every other request
goes through unchanged. scripts/remote-check.sh exports through it to check that
crimegraph then reads the summary count by count and loses nothing.

Usage: python3 scripts/refusing-proxy.py PORT UPSTREAM_BASE GRAPH_IRI
"""
import http.server
import sys
import urllib.error
import urllib.parse
import urllib.request

port, upstream, refused = int(sys.argv[1]), sys.argv[2].rstrip("/"), sys.argv[3]


class Proxy(http.server.BaseHTTPRequestHandler):
    def forward(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if self.command == "GET" and refused in query.get("graph", []):
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"FRVEC: array in for vectored over max vector length")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        request = urllib.request.Request(upstream + self.path, data=body, headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(request) as r:
                status, answer, kind = r.status, r.read(), r.headers.get("Content-Type")
        except urllib.error.HTTPError as e:
            status, answer, kind = e.code, e.read(), e.headers.get("Content-Type")
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = forward

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Proxy).serve_forever()
