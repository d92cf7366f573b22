"""Provisioning files under load: 1,000 phones with 200 directory entries each.

    .venv/bin/python bench/provisioning.py [--phones 1000] [--entries 200] [--requests 2000] [--database URL]

Loads 50 companies (SQLite file by default), each with 60 extensions, a shared address
book of 200 contacts and its share of the phones; every phone carries one or two
extensions and lists `--entries` entries (extensions and contacts, some favourites).
Then it fetches random phones' files in-process through the real route (digest check,
queries, rendering) and prints, per file kind, files/s and the p50/p99 latency, e.g.
`polycom .cfg: 812 files/s, p50 1.1 ms, p99 2.3 ms`. The challenge (the phone's first,
unauthenticated request) is not timed: a phone sends it once per nonce.
"""
import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COMPANIES = 50
EXTENSIONS = 60
CONTACTS = 200
MODELS = ("vvx250", "vvx450", "t42s", "t46s")


def load(database_url: str, phone_count: int, entries: int) -> list[dict]:
    from flask_migrate import upgrade
    from sqlalchemy import insert, text
    from sqlalchemy.engine import make_url

    from app import create_app
    from app.database import create_sqlite_file, utcnow
    from app.flask_extensions import db
    from app.models import (AddressBook, BookKind, Company, Contact, Extension, LineKey, Phone, PhoneEntry,
                            SipAccount)

    create_sqlite_file(make_url(database_url))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    rng = random.Random(7)
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
        now = utcnow()
        db.session.execute(insert(Company), [{"id": c, "name": f"Company {c}", "sip_domain": f"c{c}.bench.example",
                                              "time_zone": "America/Toronto", "language": "fr", "created_at": now}
                                             for c in range(1, COMPANIES + 1)])
        ext_rows, account_rows, book_rows, contact_rows = [], [], [], []
        for c in range(1, COMPANIES + 1):
            book_rows.append({"id": c, "company_id": c, "kind": BookKind.SHARED, "name": "Suppliers", "created_at": now})
            for n in range(EXTENSIONS):
                eid = (c - 1) * EXTENSIONS + n + 1
                ext_rows.append({"id": eid, "company_id": c, "number": str(101 + n), "name": f"Person <{c}-{n}>",
                                 "version": 1, "created_at": now})
                account_rows.append({"company_id": c, "extension_id": eid, "username": str(101 + n),
                                     "password": f"pw{eid:020d}", "softphone": False, "label": "", "created_at": now})
            for n in range(CONTACTS):
                contact_rows.append({"id": (c - 1) * CONTACTS + n + 1, "company_id": c, "book_id": c,
                                     "phone": f"514555{n:04d}", "first_name": f"First & {n}", "last_name": f"Last {n}",
                                     "email": "", "created_at": now})
        db.session.execute(insert(Extension), ext_rows)
        db.session.execute(insert(SipAccount), account_rows)
        db.session.execute(insert(AddressBook), book_rows)
        db.session.execute(insert(Contact), contact_rows)
        phones, key_rows, entry_rows = [], [], []
        for p in range(1, phone_count + 1):
            c = (p - 1) % COMPANIES + 1
            mac = f"0004f2{p:06x}"
            phone = {"id": p, "company_id": c, "mac": mac, "name": f"Phone {p}", "model": MODELS[p % 4],
                     "time_zone": "America/Toronto", "directory_enabled": True, "provisioning_username": f"p{p:015d}",
                     "provisioning_password": f"secret{p:018d}", "created_at": now}
            phones.append(phone)
            first = (c - 1) * EXTENSIONS + 1
            lines = [first + (p // COMPANIES) % EXTENSIONS]
            if p % 2:
                lines.append(first + (p // COMPANIES + 1) % EXTENSIONS)
            key_rows += [{"company_id": c, "phone_id": p, "key": k, "extension_id": e}
                         for k, e in enumerate(lines, start=1)]
            n_ext = min(EXTENSIONS, entries // 4)
            targets = [("extension_id", first + i) for i in range(n_ext)]
            targets += [("contact_id", (c - 1) * CONTACTS + i + 1) for i in range(entries - n_ext)]
            rng.shuffle(targets)
            entry_rows += [{"company_id": c, "phone_id": p, "position": pos, column: target,
                            "favourite": column == "extension_id" and pos <= 8}
                           for pos, (column, target) in enumerate(targets, start=1)]
        db.session.execute(insert(Phone), phones)
        db.session.execute(insert(LineKey), key_rows)
        for start in range(0, len(entry_rows), 20_000):
            db.session.execute(insert(PhoneEntry), entry_rows[start:start + 20_000])
        db.session.commit()
    return phones


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--requests", type=int, default=2000, help="per file kind")
    parser.add_argument("--database", help="SQLAlchemy URL (default: a throw-away SQLite file)")
    args = parser.parse_args()
    from app import create_app
    from tests.phones.digest import authorization

    workdir = tempfile.mkdtemp(prefix="bench-provisioning-")
    url = args.database or f"sqlite:///{workdir}/bench.db"
    started = time.perf_counter()
    phones = load(url, args.phones, args.entries)
    print(f"loaded {len(phones)} phones x {args.entries} entries in {time.perf_counter() - started:.1f} s")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "PROVISION_FAILURE_LIMITS": "1000000 per minute",
                      "PORTAL_URL": "http://localhost", "TRUSTED_HOSTS": ["localhost"],
                      "RATELIMIT_STORAGE_URI": "memory://"})
    client = app.test_client()
    rng = random.Random(11)
    kinds = {"polycom .cfg": ("vvx", ".cfg"), "polycom -directory.xml": ("vvx", "-directory.xml"),
             "yealink .cfg": ("t4", ".cfg"), "yealink -phonebook.xml": ("t4", "-phonebook.xml")}
    for label, (prefix, suffix) in kinds.items():
        pool = [p for p in phones if p["model"].startswith(prefix)]
        times = []
        for _ in range(args.requests):
            phone = rng.choice(pool)
            path = f"/provision/{phone['mac']}{suffix}"
            first = client.get(path)
            assert first.status_code == 401, (path, first.status_code, first.data[:200])
            challenge = first.headers["WWW-Authenticate"]
            header = authorization(challenge, phone["provisioning_username"], phone["provisioning_password"], path)
            begin = time.perf_counter()
            response = client.get(path, headers={"Authorization": header})
            times.append(time.perf_counter() - begin)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        p99 = times[int(len(times) * 0.99) - 1]
        print(f"{label}: {len(times) / sum(times):.0f} files/s, p50 {statistics.median(times) * 1000:.1f} ms, "
              f"p99 {p99 * 1000:.1f} ms ({len(response.data)} bytes)")


if __name__ == "__main__":
    main()
