"""A small pure-Python reader of the Parquet files `recfw export` writes (no pyarrow, no pandas).

Reads flat schemas of required or optional columns of the physical types BOOLEAN, INT32, INT64,
FLOAT, DOUBLE and BYTE_ARRAY (UTF-8), PLAIN or dictionary encoded, in v1 or v2 data pages,
uncompressed, Snappy or gzip: what Parquet.Net writes for the export. Nested columns and other
codecs are refused with a message naming them.

    columns = read_parquet("exports/ml-100k/users.parquet")   # {"user_id": [...], "gender": [...], ...}
    for date, columns in read_events("exports/ml-100k"): ...
"""
import glob
import os
import struct
import zlib


class _Thrift:
    """Thrift compact protocol, decoded generically: a struct is a dict of field id -> value."""

    def __init__(self, data, pos=0):
        self.data, self.pos = data, pos

    def varint(self):
        shift = result = 0
        while True:
            b = self.data[self.pos]
            self.pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind):
        if kind in (1, 2):  # booleans inside lists
            b = self.data[self.pos]
            self.pos += 1
            return b == 1
        if kind == 3:
            b = self.data[self.pos]
            self.pos += 1
            return b - 256 if b > 127 else b
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            self.pos += 8
            return struct.unpack_from("<d", self.data, self.pos - 8)[0]
        if kind == 8:
            n = self.varint()
            self.pos += n
            return bytes(self.data[self.pos - n:self.pos])
        if kind in (9, 10):
            head = self.data[self.pos]
            self.pos += 1
            n = head >> 4 if head >> 4 != 15 else self.varint()
            return [self.value(head & 0x0F) for _ in range(n)]
        if kind == 12:
            return self.struct()
        raise ValueError(f"thrift type {kind} is not supported")

    def struct(self):
        fields, last = {}, 0
        while True:
            head = self.data[self.pos]
            self.pos += 1
            if head == 0:
                return fields
            kind, delta = head & 0x0F, head >> 4
            last = last + delta if delta else self.zigzag()
            fields[last] = True if kind == 1 else False if kind == 2 else self.value(kind)


def _snappy(data):
    pos, shift, size = 0, 0, 0
    while True:
        b = data[pos]
        pos += 1
        size |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
    out = bytearray()
    while pos < len(data):
        tag = data[pos]
        pos += 1
        if tag & 3 == 0:
            n = tag >> 2
            if n >= 60:
                extra = n - 59
                n = int.from_bytes(data[pos:pos + extra], "little")
                pos += extra
            out += data[pos:pos + n + 1]
            pos += n + 1
            continue
        if tag & 3 == 1:
            length, offset = 4 + ((tag >> 2) & 7), ((tag >> 5) << 8) | data[pos]
            pos += 1
        else:
            width = 2 if tag & 3 == 2 else 4
            length, offset = (tag >> 2) + 1, int.from_bytes(data[pos:pos + width], "little")
            pos += width
        for _ in range(length):
            out.append(out[-offset])
    assert len(out) == size, "snappy: wrong length"
    return bytes(out)


def _hybrid(data, pos, end, width, count):
    """RLE / bit-packed hybrid run of `count` values of `width` bits in data[pos:end]."""
    values = []
    reader = _Thrift(data, pos)
    while len(values) < count and reader.pos < end:
        head = reader.varint()
        if head & 1:
            groups = head >> 1
            nbytes = groups * width
            bits = int.from_bytes(data[reader.pos:reader.pos + nbytes], "little")
            reader.pos += nbytes
            mask = (1 << width) - 1
            values.extend((bits >> (k * width)) & mask for k in range(groups * 8))
        else:
            nbytes = (width + 7) // 8
            value = int.from_bytes(data[reader.pos:reader.pos + nbytes], "little")
            reader.pos += nbytes
            values.extend([value] * (head >> 1))
    return values[:count]


def _plain(data, pos, ptype, count):
    if ptype == 0:
        return [bool((data[pos + k // 8] >> (k % 8)) & 1) for k in range(count)]
    if ptype in (1, 2, 4, 5):
        fmt = {1: "i", 2: "q", 4: "f", 5: "d"}[ptype]
        return list(struct.unpack_from(f"<{count}{fmt}", data, pos))
    if ptype == 6:
        values = []
        for _ in range(count):
            n = struct.unpack_from("<i", data, pos)[0]
            values.append(bytes(data[pos + 4:pos + 4 + n]).decode("utf-8"))
            pos += 4 + n
        return values
    raise ValueError(f"Parquet physical type {ptype} is not supported")


def _decompress(codec, raw):
    if codec == 0:
        return raw
    if codec == 1:
        return _snappy(raw)
    if codec == 2:
        return zlib.decompress(raw, 47)
    raise ValueError(f"Parquet codec {codec} is not supported (uncompressed, Snappy, gzip)")


def _column(data, meta, ptype, optional):
    pos = meta.get(11) or meta[9]
    end = meta[9] + meta[7] if not meta.get(11) else meta[11] + meta[7]
    dictionary, values = None, []
    while pos < end and len(values) < meta[5]:
        reader = _Thrift(data, pos)
        header = reader.struct()
        body = data[reader.pos:reader.pos + header[3]]
        pos = reader.pos + header[3]
        if header[1] == 2:
            dictionary = _plain(_decompress(meta[4], body), 0, ptype, header[7][1])
            continue
        if header[1] == 3:
            v2 = header[8]
            n, deflen = v2[1], v2[5] + v2[6]
            levels = body[:deflen]
            page = levels + (_decompress(meta[4], body[deflen:]) if v2.get(7, True) else body[deflen:])
            defs = _hybrid(page, v2[6], deflen, 1, n) if optional else [1] * n
            encoding, start = v2[4], deflen
        else:
            page = _decompress(meta[4], body)
            n, start = header[5][1], 0
            defs = [1] * n
            if optional:
                size = struct.unpack_from("<i", page, 0)[0]
                defs = _hybrid(page, 4, 4 + size, 1, n)
                start = 4 + size
            encoding = header[5][2]
        present = sum(defs)
        if encoding == 0:
            items = _plain(page, start, ptype, present)
        elif encoding in (2, 8):
            items = [dictionary[k] for k in _hybrid(page, start + 1, len(page), page[start], present)]
        elif encoding == 3 and ptype == 0:
            items = [bool(v) for v in _hybrid(page, start + 4, len(page), 1, present)]
        else:
            raise ValueError(f"Parquet encoding {encoding} is not supported")
        it = iter(items)
        values.extend(next(it) if d else None for d in defs)
    return values


def read_parquet(path):
    """Every column of a flat Parquet file: {name: list of values (None for nulls)}, in file order."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise ValueError(f"{path} is not a Parquet file")
    size = struct.unpack_from("<i", data, len(data) - 8)[0]
    footer = _Thrift(data, len(data) - 8 - size).struct()
    leaves = footer[2][1:]
    if any(e.get(5) for e in leaves):
        raise ValueError(f"{path}: nested columns are not supported")
    columns = {e[4].decode(): [] for e in leaves}
    for group in footer[4]:
        for element, chunk in zip(leaves, group[1]):
            columns[element[4].decode()].extend(_column(data, chunk[3], element[1], element.get(3) == 1))
    return columns


def read_events(export):
    """(date, columns) of every event file of an export folder, in date and part order."""
    for path in sorted(glob.glob(os.path.join(export, "events", "date=*", "part-*.parquet"))):
        yield os.path.basename(os.path.dirname(path))[5:], read_parquet(path)
