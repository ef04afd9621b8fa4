#!/usr/bin/env python3
"""Independent reference of the rotating-door derivation (docs/rotating.md); writes rotating.json.

Run: python3 tests/vectors/reference.py > tests/vectors/rotating.json
"""
import base64, hashlib, hmac, json, struct, sys

VERSION = b"nftknock/rotating/v1"

def knocks(secret, door, knocks, first, last, exclude, window):
    prefix = VERSION + b"\0" + door.encode() + b"\0" + struct.pack(">q", window)
    span = last - first + 1
    limit = (2**32 // span) * span
    out = []
    for k in range(1, knocks + 1):
        token = hmac.new(secret, prefix + b"T" + bytes([k]), hashlib.sha256).digest()[:8]
        draw = 0
        while True:
            mac = hmac.new(secret, prefix + b"P" + bytes([k]) + struct.pack(">I", draw), hashlib.sha256).digest()
            draw += 1
            value = struct.unpack(">I", mac[:4])[0]
            if value >= limit:
                continue
            port = first + value % span
            if any(a <= port <= b for a, b in exclude) or any(port == p for p, _ in out):
                continue
            out.append((port, token))
            break
    return [{"port": p, "token": "0x" + t.hex()} for p, t in out]

cases = [
    ("defaults, window 0", bytes(range(32)), "ssh", 3, 30000, (10000, 65000), [], 0),
    ("defaults, a window in 2025", bytes(range(32)), "ssh", 3, 30000, (10000, 65000), [], 58_000_000),
    ("next window differs", bytes(range(32)), "ssh", 3, 30000, (10000, 65000), [], 58_000_001),
    ("another door, same secret", bytes(range(32)), "web", 3, 30000, (10000, 65000), [], 58_000_000),
    ("narrow range with exclusions, 16 knocks", bytes([0xA5]) * 40, "vpn", 16, 4000, (20000, 20299), [(20000, 20179), (20250, 20250)], 1_000_000),
    ("one knock, short period", bytes([0x5A]) * 32, "db", 1, 2000, (10000, 65000), [], 2**31 + 5),
]
vectors = []
for name, secret, door, n, period, (first, last), exclude, window in cases:
    vectors.append({
        "name": name,
        "secret": base64.b64encode(secret).decode(),
        "door": door,
        "knocks": n,
        "period_ms": period,
        "ports": f"{first}-{last}",
        "exclude": [f"{a}-{b}" if a != b else str(a) for a, b in exclude],
        "window": window,
        "expect": knocks(secret, door, n, first, last, exclude, window),
    })
json.dump({"version": VERSION.decode(), "vectors": vectors}, sys.stdout, indent=2)
sys.stdout.write("\n")
