"""The SortableJS the pages load is the one package.json pins (npm), not an edited copy."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_vendored_sortable_is_the_pinned_npm_release():
    version = json.loads((ROOT / "package.json").read_text())["devDependencies"]["sortablejs"]
    vendored = ROOT / "app" / "static" / "js" / f"Sortable-{version}.min.js"
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/sortablejs"]
    assert lock["version"] == version
    assert vendored.read_bytes() == (ROOT / "node_modules" / "sortablejs" / "Sortable.min.js").read_bytes()
    template = (ROOT / "app" / "templates" / "phones" / "directory.html").read_text()
    assert f"js/Sortable-{version}.min.js" in template
