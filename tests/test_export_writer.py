"""The export JSON writer (atlas/export/common.py) on data large enough that it writes its text
out in pieces while it is still inside an object (tests/test_fast_paths.py compares it with
json.dumps on small random data): the pieces and Lazy lists come out as json.dumps writes them."""
from __future__ import annotations

import io
import json

from atlas.export.common import Lazy, json_bytes, write_json


def _large() -> dict:
    records = [{"id": f"r{n}", "start": n, "end": n + 1.5, "exact": f"“{n}” </script>", "none": None, "ok": n % 2 == 0,
                "nested": {"b": [n, {"c": "x"}], "a": {}}} for n in range(3000)]
    return {"z": "last", "records": records, "after": {"k": "v"}, "a": [[], {}, [records[:50]]]}


def test_a_large_document_is_what_json_dumps_writes():
    data = _large()
    assert json_bytes(data) == (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def test_written_in_pieces_to_a_file_is_the_same():
    data = {"items": Lazy(lambda: iter(_large()["records"]), 3000), "tail": "end"}
    out = io.BytesIO()
    write_json(data, out)
    plain = {"items": _large()["records"], "tail": "end"}
    assert out.getvalue() == (json.dumps(plain, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()

