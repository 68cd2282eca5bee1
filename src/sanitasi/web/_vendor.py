"""Refresh the vendored HTMX build (maintainers only).

The web app works offline (no CDN): ``htmx.min.js`` is committed under
``sanitasi/web/static/vendor/`` with its licence and a ``VERSIONS.json`` (version, file, size,
sha256) that the tests check against the exact pin in the repository's ``package.json``. The
Vega builds are the reports' (``sanitasi/reports/static``), served as static files. To update::

    npm ci                       # or: npm install --save-exact htmx.org@X.Y.Z
    .venv/bin/python -m sanitasi.web._vendor
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

#: npm package -> path of its minified browser build inside the package.
BUILDS: dict[str, str] = {"htmx.org": "dist/htmx.min.js"}

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"


def vendor(repo_root: Path) -> dict[str, dict[str, object]]:
    VENDOR.mkdir(parents=True, exist_ok=True)
    versions: dict[str, dict[str, object]] = {}
    for name, rel in BUILDS.items():
        pkg = repo_root / "node_modules" / name
        meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
        dst = VENDOR / Path(rel).name
        shutil.copyfile(pkg / rel, dst)
        shutil.copyfile(pkg / "LICENSE", VENDOR / f"{name}.LICENSE")
        data = dst.read_bytes()
        versions[name] = {
            "version": meta["version"],
            "file": dst.name,
            "license": meta.get("license", ""),
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    (VENDOR / "VERSIONS.json").write_text(
        json.dumps(versions, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return versions


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    for name, v in vendor(root.resolve()).items():
        print(f"{name} {v['version']}: {v['file']} ({v['bytes']} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
