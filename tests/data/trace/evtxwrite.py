"""Writes a small Windows XML Event Log (.evtx) from element trees.

For tests only: one file header, one chunk, records whose binary XML is
plain elements (no templates), names written inline where they are used.
The layout follows the public description of the format in libevtx's
documentation ("Windows XML Event Log (EVTX) format") and [MS-EVEN6]:

  file header  4096 bytes  "ElfFile\\0", chunk count, CRC32 of bytes 0-119
  chunk       65536 bytes  512-byte header ("ElfChnk\\0", record numbers,
                           offsets, CRC32 of the records and of the header)
  record                   "**\\0\\0", size, id, FILETIME, binary XML, size

A tree is (name, [(attribute, value)...], children) where children is a
text string or a list of trees.
"""
import struct
import zlib
from datetime import datetime, timezone

CHUNK = 65536
CHUNK_HEADER = 512


def name_hash(name):
    """[MS-EVEN6]'s name hash: h = h * 65599 + character, low 16 bits."""
    h = 0
    for ch in name:
        h = (h * 65599 + ord(ch)) & 0xFFFFFFFF
    return h & 0xFFFF


def utf16(text):
    return text.encode("utf-16-le")


class BinXml:
    """Binary XML written at a known offset in the chunk: the name offsets
    are relative to the chunk's start."""

    def __init__(self, at):
        self.at = at
        self.out = bytearray()

    def pos(self):
        return self.at + len(self.out)

    def inline_name(self, name):
        # The offset points just past itself: the name follows in place.
        self.out += struct.pack("<I", self.pos() + 4)
        self.out += struct.pack("<IHH", 0, name_hash(name), len(name))
        self.out += utf16(name) + b"\0\0"

    def value_text(self, text):
        self.out += struct.pack("<BBH", 0x05, 0x01, len(text)) + utf16(text)

    def element(self, tree):
        name, attrs, children = tree
        start = len(self.out)
        self.out += struct.pack("<BhI", 0x41 if attrs else 0x01, -1, 0)
        self.inline_name(name)
        if attrs:
            size_at = len(self.out)
            self.out += b"\0\0\0\0"
            for i, (attr, value) in enumerate(attrs):
                self.out.append(0x46 if i + 1 < len(attrs) else 0x06)
                self.inline_name(attr)
                self.value_text(value)
            struct.pack_into("<I", self.out, size_at, len(self.out) - size_at - 4)
        if children == [] or children == "":
            self.out.append(0x03)
        else:
            self.out.append(0x02)
            if isinstance(children, str):
                self.value_text(children)
            else:
                for child in children:
                    self.element(child)
            self.out.append(0x04)
        # The size counts everything after the token, dependency id and size.
        struct.pack_into("<I", self.out, start + 3, len(self.out) - start - 7)

    def document(self, tree):
        self.out += bytes([0x0F, 0x01, 0x01, 0x00])
        self.element(tree)
        self.out.append(0x00)
        return bytes(self.out)


def filetime(iso):
    """FILETIME (100 ns since 1601) of an ISO 8601 UTC time with up to 7
    fraction digits."""
    main, _, frac = iso.rstrip("Z").partition(".")
    t = datetime.strptime(main, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    seconds = int((t - datetime(1601, 1, 1, tzinfo=timezone.utc)).total_seconds())
    return seconds * 10**7 + int((frac + "0000000")[:7])


def write(path, records):
    """records: (record id, ISO time written, tree) in order."""
    chunk = bytearray(CHUNK)
    at = CHUNK_HEADER
    last_at = at
    for rid, when, tree in records:
        xml = BinXml(at + 24).document(tree)
        size = 24 + len(xml) + 4
        if at + size > CHUNK:
            raise ValueError("the records do not fit one chunk")
        chunk[at:at + size] = (struct.pack("<4sIQQ", b"**\0\0", size, rid, filetime(when))
                               + xml + struct.pack("<I", size))
        last_at, at = at, at + size
    first, last = records[0][0], records[-1][0]
    struct.pack_into("<8sQQQQIIII", chunk, 0, b"ElfChnk\0", first, last, first, last,
                     128, last_at, at, zlib.crc32(chunk[CHUNK_HEADER:at]))
    struct.pack_into("<I", chunk, 124, zlib.crc32(chunk[:120] + chunk[128:CHUNK_HEADER]))
    header = bytearray(4096)
    struct.pack_into("<8sQQQIHHHH", header, 0, b"ElfFile\0", 0, 0, last + 1, 128, 1, 3, 4096, 1)
    struct.pack_into("<I", header, 124, zlib.crc32(header[:120]))
    with open(path, "wb") as f:
        f.write(header + chunk)
