#!/usr/bin/env python3
"""Independent reference of the client link (docs/link.md); writes link.json.

Run: python3 tests/vectors/link_reference.py > tests/vectors/link.json

Each valid vector's link is composed here from its profile, then read back with Python's own RFC 3986
parser (urllib.parse), so the vectors hold what a standard parser sees, not what nftknock's code does.
"""
import base64, json, sys
from urllib.parse import urlsplit, parse_qsl, quote, unquote

def b64url(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")

def period_text(ms):
    return str(ms // 1000) if ms % 1000 == 0 else f"{ms}ms"

def compose(p):
    host = f"[{p['host']}]" if ":" in p["host"] else p["host"]
    link = f"nftknock://{host}" + (f":{p['port']}" if p["port"] is not None else "") + f"/{p['door']}?v=1"
    if p["secret"] is not None:
        link += f"&s={b64url(base64.b64decode(p['secret']))}&k={p['knocks']}&p={period_text(p['period_ms'])}&r={p['ports']}"
        if p["exclude"]:
            link += "&x=" + ",".join(p["exclude"])
    else:
        link += "&q=" + ",".join(p["sequence"])
    if p["client"] is not None:
        link += f"&c={p['client']}"
    if p["label"]:
        link += "#" + quote(p["label"], safe="-._~")
    return link

def read(link):
    """What a standard parser reads from the link, in the profile's shape."""
    u = urlsplit(link)
    q = dict(parse_qsl(u.query, keep_blank_values=True))
    assert u.scheme == "nftknock" and q["v"].split(".")[0] == "1"
    secret = q.get("s")
    if secret is not None:
        secret = base64.b64encode(base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))).decode()
    period = q.get("p", "30")
    return {
        "host": u.hostname if ":" not in (u.hostname or "") else u.hostname,
        "port": u.port,
        "door": u.path.lstrip("/"),
        "secret": secret,
        "sequence": q["q"].split(",") if "q" in q else None,
        "knocks": int(q.get("k", "3")) if secret else 3,
        "period_ms": (int(period[:-2]) if period.endswith("ms") else int(period) * 1000) if secret else 30000,
        "ports": q.get("r", "10000-65000") if secret else "10000-65000",
        "exclude": q["x"].split(",") if "x" in q and secret else [],
        "client": q.get("c"),
        "label": unquote(u.fragment) if u.fragment else None,
    }

def profile(host, door, port=22, secret=None, sequence=None, knocks=3, period_ms=30000, ports="10000-65000",
            exclude=(), client=None, label=None):
    return {"host": host, "port": port, "door": door,
            "secret": base64.b64encode(secret).decode() if secret is not None else None,
            "sequence": list(sequence) if sequence is not None else None,
            "knocks": knocks, "period_ms": period_ms, "ports": ports, "exclude": list(exclude),
            "client": client, "label": label}

valid = [
    ("rotating door, defaults", profile("bastion.example.org", "ssh", secret=bytes(range(32)), client="alice", label="bastion (alice)")),
    ("no port, no client, no label", profile("198.51.100.7", "ssh", port=None, secret=bytes([0xFB, 0xFF, 0xBF] * 11))),
    ("IPv6 host, every derivation key", profile("2001:db8::7", "vpn", port=2222, secret=bytes([0xA5]) * 48, knocks=16,
                                                 period_ms=1500, ports="20000-20999", exclude=["20100", "20200-20299"], client="ci.runner-1")),
    ("static door carries its sequence", profile("host.example", "web", port=8443, sequence=["7000/udp", "8000/tcp", "9000/udp"], label="Büro")),
]
vectors = []
for name, p in valid:
    link = compose(p)
    assert read(link) == p, (read(link), p)
    vectors.append({"name": name, "link": link, "profile": p})

# Links a reader must refuse, with the code nftknock gives; and links it must accept although they
# differ from what nftknock writes (unknown parameters, another order, a minor version, percent-encoding).
first = compose(valid[0][1])
invalid = [
    ("newer major version", first.replace("v=1", "v=2"), "NK242"),
    ("no version", first.replace("?v=1&", "?"), "NK244"),
    ("secret and sequence", first.replace("#", "&q=7000/udp#"), "NK243"),
    ("neither secret nor sequence", "nftknock://h.example/ssh?v=1", "NK243"),
    ("secret too short", "nftknock://h.example/ssh?v=1&s=" + b64url(bytes(31)), "NK244"),
    ("secret with padding", "nftknock://h.example/ssh?v=1&s=" + b64url(bytes(32)) + "=", "NK244"),
    ("parameter twice", first.replace("#", "&k=3#"), "NK241"),
    ("another scheme", first.replace("nftknock:", "https:"), "NK240"),
    ("bad door", first.replace("/ssh?", "/SSH?"), "NK244"),
    ("knocks out of range", first.replace("k=3", "k=17"), "NK244"),
    ("period too long", first.replace("p=30", "p=3601"), "NK244"),
    ("port zero", first.replace(":22/", ":0/"), "NK244"),
]
accepted = [
    ("unknown parameters are ignored", first.replace("?v=1&", "?v=1&z=whatever&future=1&"), valid[0][1]),
    ("minor version, other order, percent-encoded", "nftknock://bastion.example.org:22/ssh?c=alice&r=10000-65000&p=30&k=3&s="
        + b64url(bytes(range(32))) + "&v=1.4#bastion%20%28alice%29", valid[0][1]),
]
for name, link, p in accepted:
    assert read(link) == p, (read(link), p)
json.dump({
    "version": 1,
    "valid": vectors,
    "accepted": [{"name": n, "link": l, "profile": p} for n, l, p in accepted],
    "invalid": [{"name": n, "link": l, "code": c} for n, l, c in invalid],
}, sys.stdout, indent=2, ensure_ascii=False)
sys.stdout.write("\n")
