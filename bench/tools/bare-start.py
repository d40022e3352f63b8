#!/usr/bin/env python3
# Bare start of one worker against a one-event stub runtime API: spawn -> first GET next -> first POST response,
# plus the worker's CPU time (wait4; only the direct child's when it is a wrapper such as bwrap).
# usage: bare-start.py N [E:KEY=VALUE ...] command...
# Shielded from other processes on a shared machine (docs/design/dotnet-cold-start.md):
#   chrt -f 10 taskset -c 1 python3 bench/tools/bare-start.py 20 taskset -c 0 dotnet OUT/BehavioursDotnet.dll
import os, socket, statistics, subprocess, sys, time
n = int(sys.argv[1]); args = sys.argv[2:]
extra = {}
while args and args[0].startswith("E:"):
    k, v = args[0][2:].split("=", 1); extra[k] = v; args = args[1:]
payload = b'{"action":"echo","message":"x"}'
def sample():
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0)); srv.listen(8); srv.settimeout(20); port = srv.getsockname()[1]
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
           "AWS_LAMBDA_FUNCTION_NAME": "f", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "DOTNET_TieredPGO": "0", "DOTNET_NOLOGO": "1"}
    env.update(extra)
    t0 = time.perf_counter()
    p = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    c, _ = srv.accept()
    buf = b""
    while b"\r\n\r\n" not in buf: buf += c.recv(65536)
    tn = time.perf_counter()
    c.sendall(b"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\nLambda-Runtime-Deadline-Ms: 9999999999999\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload)
    buf = b""
    while b"\r\n\r\n" not in buf: buf += c.recv(65536)
    tr = time.perf_counter()
    c.sendall(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")
    p.kill(); _, _, ru = os.wait4(p.pid, 0); p.returncode = 0; c.close(); srv.close()
    return (tn - t0) * 1000, (tr - t0) * 1000, (ru.ru_utime + ru.ru_stime) * 1000
sample()
res = [sample() for _ in range(n)]
nx = sorted(r[0] for r in res); rs = sorted(r[1] for r in res)
pct = lambda a, q: a[min(len(a)-1, int(q*len(a)+0.5)-1 if q*len(a) >= 1 else 0)]
cpu = sorted(r[2] for r in res)
print(f"cpu p50 {statistics.median(cpu):.1f} | next p50 {statistics.median(nx):.1f} p90 {pct(nx,0.9):.1f} | resp p50 {statistics.median(rs):.1f} p90 {pct(rs,0.9):.1f} ms  (n={n})")
