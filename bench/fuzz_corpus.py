"""Malformed files of every format the readers accept, generated from a seed (no files on disk).

Used by `bench/fuzz_readers.py` (2,000 files) and `tests/ingest/test_readers_robust.py` (a fast subset).
Each case is (kind, filename, bytes): valid seeds (DOCX, PDF, OFD, HTML, text in several encodings)
mutated by truncation, bit flips, overwritten ranges, duplicated chunks; ZIP containers with another
compression, an unknown compression method, an unsupported version, corrupt deflate data, lying
sizes; zip bombs; element bombs (empty paragraphs, OFD pages that all point at one content file);
deep nesting; HTML with hostile charsets (punycode, idna, utf-7, unknown names).
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
OFD_NS = "http://www.ofdspec.org/2016"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

Case = tuple[str, str, bytes]


# --- valid seeds -------------------------------------------------------------------------------


@cache
def workplan() -> str:
    return (FIXTURES / "workplan.txt").read_text(encoding="utf-8")


@cache
def seed_pdf() -> bytes:
    return (FIXTURES / "govdoc-397.pdf").read_bytes()


@cache
def seed_docx() -> bytes:
    import docx

    document = docx.Document()
    for line in workplan().splitlines()[:60]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "附表", "内容"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ofd_members(pages: list[str], page_locs: list[str] | None = None) -> dict[str, bytes]:
    locs = page_locs or [f"Pages/Page_{i}/Content.xml" for i in range(len(pages))]
    page_list = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="{loc}"/>' for i, loc in enumerate(locs))
    members = {
        "OFD.xml": f'<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0"><ofd:DocBody><ofd:DocInfo/>'
        f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>".encode(),
        "Doc_0/Document.xml": f'<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:Pages>{page_list}</ofd:Pages></ofd:Document>'.encode(),
    }
    for i, text in enumerate(pages):
        objects = "".join(
            f'<ofd:TextObject ID="{n + 10}" Boundary="20 {30 + n * 8} 170 8" Font="1" Size="4">'
            f'<ofd:TextCode X="0" Y="6">{line.replace("&", "&amp;").replace("<", "&lt;")}</ofd:TextCode></ofd:TextObject>'
            for n, line in enumerate(line for line in text.splitlines() if line.strip())
        )
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="2">{objects}</ofd:Layer></ofd:Content></ofd:Page>'
        ).encode()
    return members


def build_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@cache
def seed_ofd() -> bytes:
    lines = workplan().splitlines()
    return build_zip(ofd_members(["\n".join(lines[:40]), "\n".join(lines[40:80])]))


def docx_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(seed_docx())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def seed_html(encoding: str = "utf-8", declared: str | None = None) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in workplan().splitlines()[:80])
    meta = f"<meta charset='{declared or encoding}'>"
    return f"<html><head>{meta}<title>t</title></head><body>{body}</body></html>".encode(encoding, "replace")


SEEDS: dict[str, Callable[[], tuple[str, bytes]]] = {
    "pdf": lambda: ("a.pdf", seed_pdf()),
    "docx": lambda: ("a.docx", seed_docx()),
    "ofd": lambda: ("a.ofd", seed_ofd()),
    "html": lambda: ("a.html", seed_html("gb18030", "gbk")),
    "txt-utf8": lambda: ("a.txt", workplan().encode("utf-8")),
    "txt-gbk": lambda: ("a.txt", workplan().encode("gb18030")),
    "txt-utf16": lambda: ("a.txt", workplan().encode("utf-16")),
}


# --- byte mutations ----------------------------------------------------------------------------


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def bit_flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 2, 8, 64, 512])):
        position = rng.randrange(len(out))
        out[position] ^= 1 << rng.randrange(8)
    return bytes(out)


def overwrite(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    start = rng.randrange(len(out))
    length = rng.randrange(1, 2048)
    filler = rng.choice([b"\x00", b"\xff", bytes([rng.randrange(256)]), None])
    chunk = rng.randbytes(length) if filler is None else filler * length
    out[start : start + length] = chunk[: len(out) - start]
    return bytes(out)


def duplicate(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randrange(1, 4096))
    at = rng.randrange(len(data))
    return data[:at] + data[start:end] * rng.randrange(1, 20) + data[at:]


BYTE_MUTATIONS = [truncate, bit_flip, bit_flip, overwrite, duplicate]


# --- ZIP container mutations (DOCX and OFD) ----------------------------------------------------


def _patch_headers(data: bytes, offsets: tuple[int, int], value: int) -> bytes:
    """Write a 2-byte field at the given offsets of every local (PK\\3\\4) and central (PK\\1\\2) header."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", offsets[0]), (b"PK\x01\x02", offsets[1])):
        start = 0
        while (found := out.find(signature, start)) != -1:
            out[found + offset : found + offset + 2] = struct.pack("<H", value)
            start = found + 4
    return bytes(out)


def zip_method(rng: random.Random, data: bytes) -> bytes:
    """An unknown or unsupported compression method (99 = AES, 6 = implode, 97 = WavPack …)."""
    return _patch_headers(data, (8, 10), rng.choice([1, 6, 7, 9, 14, 97, 98, 99, 1234]))


def zip_version(rng: random.Random, data: bytes) -> bytes:
    return _patch_headers(data, (4, 6), rng.choice([63, 90, 255, 1000]))


def zip_recompress(rng: random.Random, members: dict[str, bytes]) -> bytes:
    return build_zip(members, rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))


def zip_corrupt_member(rng: random.Random, data: bytes) -> bytes:
    """Scramble bytes inside one member's compressed data: zlib errors, bad CRCs."""
    out = bytearray(data)
    starts = [i for i in range(len(out) - 30) if out[i : i + 4] == b"PK\x03\x04"]
    start = rng.choice(starts)
    name_len, extra_len = struct.unpack("<HH", out[start + 26 : start + 30])
    body = start + 30 + name_len + extra_len
    for _ in range(rng.randrange(1, 16)):
        position = body + rng.randrange(64)
        if position < len(out):
            out[position] = rng.randrange(256)
    return bytes(out)


def zip_lying_size(rng: random.Random, data: bytes) -> bytes:
    """Uncompressed size in the headers set far too small or too large."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (found := out.find(signature, start)) != -1:
            out[found + offset : found + offset + 4] = struct.pack(
                "<I", rng.choice([0, 1, 0xFFFFFFFF, 10**9])
            )
            start = found + 4
    return bytes(out)


def zip_mutations(rng: random.Random, seed: bytes, members: dict[str, bytes]) -> bytes:
    choice = rng.randrange(5)
    if choice == 0:
        return zip_method(rng, seed)
    if choice == 1:
        return zip_version(rng, seed)
    if choice == 2:
        return zip_recompress(rng, members)
    if choice == 3:
        return zip_corrupt_member(rng, seed)
    return zip_lying_size(rng, seed)


# --- structural bombs --------------------------------------------------------------------------


def docx_with_body(body: bytes) -> bytes:
    members = docx_members()
    members["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
        + body
        + b"</w:body></w:document>"
    )
    return build_zip(members)


def docx_element_bomb(paragraphs: int) -> bytes:
    """Empty paragraphs: 16 KB of DOCX holding 1.75 million of them kept the old reader busy 80 s."""
    return docx_with_body(b"<w:p/>" * paragraphs)


def docx_deep_nesting(depth: int) -> bytes:
    return docx_with_body(b"<w:p>" * depth + b"</w:p>" * depth)


def docx_entity_bomb() -> bytes:
    """Billion laughs in the main part."""
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE w:document [<!ENTITY l0 "lol">{lol}]>'
    members = docx_members()
    members["word/document.xml"] = (
        f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    return build_zip(members)


def zip_bomb(kind: str, megabytes: int) -> bytes:
    """One member of `megabytes` of zeros (about 1000:1 with deflate) in an otherwise valid package."""
    members = docx_members() if kind == "docx" else ofd_members(["正文"])
    target = "word/document.xml" if kind == "docx" else "Doc_0/Pages/Page_0/Content.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name != target:
                archive.writestr(name, data)
        with archive.open(target, "w", force_zip64=True) as handle:
            handle.write(members[target][:-20])
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                handle.write(chunk)
    return buffer.getvalue()


def ofd_page_bomb(pages: int) -> bytes:
    """Every page points at one content file: the old reader parsed it once per page."""
    members = ofd_members(["\n".join(workplan().splitlines()[:40])], ["Pages/Page_0/Content.xml"] * pages)
    return build_zip(members)


def ofd_text_bomb(objects: int) -> bytes:
    members = ofd_members(["x"])
    members["Doc_0/Pages/Page_0/Content.xml"] = (
        f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="2">'.encode()
        + b'<ofd:TextObject Boundary="0 0 1 1"><ofd:TextCode X="0" Y="0">x</ofd:TextCode></ofd:TextObject>'
        * objects
        + b"</ofd:Layer></ofd:Content></ofd:Page>"
    )
    return build_zip(members)


def ofd_bad_numbers(rng: random.Random) -> bytes:
    members = ofd_members(["正文第一行\n第二行"])
    junk = rng.choice(["nan", "inf", "1e999", "x", "", "1 2", "-", "0x10"])
    members["Doc_0/Pages/Page_0/Content.xml"] = (
        f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="2">'
        f'<ofd:TextObject Boundary="{junk} {junk}"><ofd:TextCode X="{junk}" Y="{junk}">字</ofd:TextCode></ofd:TextObject>'
        "</ofd:Layer></ofd:Content></ofd:Page>"
    ).encode()
    return build_zip(members)


def ofd_bad_paths(rng: random.Random) -> bytes:
    members = ofd_members(["正文"])
    root = rng.choice(["", "/", "../../etc/passwd", "Doc_0", "Doc_0/Document.xml\x00", "Ｄｏｃ", "a" * 5000])
    members["OFD.xml"] = (
        f'<ofd:OFD xmlns:ofd="{OFD_NS}"><ofd:DocBody><ofd:DocRoot>{root.replace(chr(0), "")}</ofd:DocRoot>'
        "</ofd:DocBody></ofd:OFD>"
    ).encode()
    if rng.random() < 0.5:
        members["Doc_0/Document.xml"] = rng.choice(
            [b"", b"<", b"\xff\xfe<\x00", "<a>中</a>".encode("gb18030")]
        )
    return build_zip(members)


def pdf_nested(depth: int) -> bytes:
    body = b"[" * depth + b"]" * depth
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /X " + body + b" >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF"
    )


def pdf_page_loop() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 100000 >> endobj\n"
        b"3 0 obj << /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 5 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF"
    )


def pdf_many_pages(pages: int) -> bytes:
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF"
    )


def pdf_flate_bomb(megabytes: int) -> bytes:
    stream = zlib.compress(b"0 0 m " * (megabytes * 1024 * 1024 // 6), 9)
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n"
        b"4 0 obj << /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >> stream\n"
        + stream + b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
    )  # fmt: skip


HOSTILE_CHARSETS = ["punycode", "idna", "utf-7", "unicode_escape", "raw_unicode_escape", "rot13", "base64",
                    "zlib", "hex", "uu", "undefined", "x-no-such", "utf-32", "cp1252", "mbcs", "charmap"]  # fmt: skip


def html_charset(rng: random.Random) -> bytes:
    charset = rng.choice(HOSTILE_CHARSETS)
    text = workplan()[: rng.choice([200, 5000, 20000])]
    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return f"<html><head><meta charset='{charset}'></head><body>{body}</body></html>".encode()


def html_nested(depth: int) -> bytes:
    return (
        b"<html><body>"
        + b"<div><p><b>" * depth
        + "正文".encode()
        + b"</b></p></div>" * depth
        + b"</body></html>"
    )


def html_junk(rng: random.Random) -> bytes:
    pieces = [b"<", b">", b"<!--", b"<![CDATA[", b"&#", b"&#x110000;", b"&#99999999999;", b"<script>", b"</",
              b"<p ", b"=\"", "中".encode(), b"\xff", b"<?", b"<!DOCTYPE"]  # fmt: skip
    return b"<html><body>" + b"".join(rng.choice(pieces) for _ in range(rng.randrange(10, 5000)))


def text_junk(rng: random.Random) -> bytes:
    choice = rng.randrange(5)
    if choice == 0:  # lone surrogates and odd lengths in UTF-16
        return b"\xff\xfe" + rng.randbytes(rng.randrange(1, 4000) | 1)
    if choice == 1:
        return b"\xef\xbb\xbf" + rng.randbytes(rng.randrange(1, 4000))
    if choice == 2:  # high bytes only: GB18030-like but not valid
        return bytes(rng.randrange(0x80, 0x100) for _ in range(rng.randrange(1, 20000)))
    if choice == 3:  # control characters
        return bytes(rng.randrange(0, 32) for _ in range(rng.randrange(1, 3000)))
    return "\u0000\u000b\u001b\u0085\u2028".encode() * rng.randrange(1, 3000)


# --- the corpus --------------------------------------------------------------------------------


def _mutated_seed(rng: random.Random) -> Case:
    kind = rng.choice(list(SEEDS))
    name, data = SEEDS[kind]()
    mutation = rng.choice(BYTE_MUTATIONS)
    data = mutation(rng, data)
    if rng.random() < 0.2:  # the name lies too
        name = rng.choice(["a.pdf", "a.docx", "a.ofd", "a.html", "a.txt", "a", "a.doc"])
    return f"{kind}:{mutation.__name__}", name, data


def _zip_case(rng: random.Random) -> Case:
    kind = rng.choice(["docx", "ofd"])
    seed = seed_docx() if kind == "docx" else seed_ofd()
    members = docx_members() if kind == "docx" else ofd_members(["\n".join(workplan().splitlines()[:40])])
    return f"{kind}:zip", f"a.{kind}", zip_mutations(rng, seed, members)


def _structural_case(rng: random.Random, heavy: bool) -> Case:
    scale = 1 if heavy else 0
    options: list[tuple[str, str, Callable[[], bytes]]] = [
        (
            "docx:element-bomb",
            "a.docx",
            lambda: docx_element_bomb(rng.choice([10_000, 200_000] + [1_750_000] * scale)),
        ),
        ("docx:deep-nesting", "a.docx", lambda: docx_deep_nesting(rng.choice([300, 5_000, 100_000]))),
        ("docx:entity-bomb", "a.docx", docx_entity_bomb),
        ("docx:zip-bomb", "a.docx", lambda: zip_bomb("docx", rng.choice([2, 30] + [300] * scale))),
        ("ofd:zip-bomb", "a.ofd", lambda: zip_bomb("ofd", rng.choice([2, 30] + [300] * scale))),
        ("ofd:page-bomb", "a.ofd", lambda: ofd_page_bomb(rng.choice([2_000, 20_000] + [100_000] * scale))),
        ("ofd:text-bomb", "a.ofd", lambda: ofd_text_bomb(rng.choice([1_000, 100_000] + [1_000_000] * scale))),
        ("ofd:bad-numbers", "a.ofd", lambda: ofd_bad_numbers(rng)),
        ("ofd:bad-paths", "a.ofd", lambda: ofd_bad_paths(rng)),
        ("pdf:deep-nesting", "a.pdf", lambda: pdf_nested(rng.choice([1_000, 100_000]))),
        ("pdf:page-loop", "a.pdf", pdf_page_loop),
        ("pdf:many-pages", "a.pdf", lambda: pdf_many_pages(rng.choice([1_000] + [50_000] * scale))),
        ("pdf:flate-bomb", "a.pdf", lambda: pdf_flate_bomb(rng.choice([5] + [200] * scale))),
        ("html:charset", "a.html", lambda: html_charset(rng)),
        ("html:deep-nesting", "a.html", lambda: html_nested(rng.choice([1_000, 100_000]))),
        ("html:junk", "a.html", lambda: html_junk(rng)),
        ("txt:junk", rng.choice(["a.txt", "a"]), lambda: text_junk(rng)),
    ]
    kind, name, make = rng.choice(options)
    return kind, name, make()


def corpus(count: int, seed: int = 11, heavy: bool = True) -> Iterator[Case]:
    """`count` malformed files: about half mutated seeds, a quarter ZIP tricks, a quarter structural."""
    rng = random.Random(seed)
    for _ in range(count):
        roll = rng.random()
        if roll < 0.5:
            yield _mutated_seed(rng)
        elif roll < 0.75:
            yield _zip_case(rng)
        else:
            yield _structural_case(rng, heavy)
