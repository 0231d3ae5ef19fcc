"""A small reader for one string column of a Parquet file, with no dependency but NumPy.

Enough for GloVe's word index (written by pyarrow: one BYTE_ARRAY column, Snappy pages,
dictionary encoding falling back to PLAIN), so that fetching the GloVe words does not need
pyarrow. Handles: thrift compact metadata, data pages v1 and v2, PLAIN and (RLE_)DICTIONARY
encodings, UNCOMPRESSED and SNAPPY codecs, an OPTIONAL column without nulls (nulls raise).
"""

from __future__ import annotations

import struct

import numpy as np

# -- thrift compact protocol -----------------------------------------------------------------


class _Reader:
    def __init__(self, buf: bytes, pos: int = 0):
        self.buf, self.pos = buf, pos

    def byte(self) -> int:
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if b < 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def binary(self) -> bytes:
        n = self.varint()
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def value(self, t: int):
        if t in (1, 2):  # bool inside a struct: the type carries the value
            return t == 1
        if t == 3:
            b = self.byte()
            return b - 256 if b > 127 else b
        if t in (4, 5, 6):
            return self.zigzag()
        if t == 7:
            self.pos += 8
            return struct.unpack_from("<d", self.buf, self.pos - 8)[0]
        if t == 8:
            return self.binary()
        if t in (9, 10):
            head = self.byte()
            size, et = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            if et in (1, 2):  # bools in a list are one byte each
                return [self.byte() == 1 for _ in range(size)]
            return [self.value(et) for _ in range(size)]
        if t == 11:
            size = self.varint()
            if size == 0:
                return {}
            kv = self.byte()
            return {self.value(kv >> 4): self.value(kv & 0x0F) for _ in range(size)}
        if t == 12:
            return self.struct()
        raise ValueError(f"thrift compact type {t} not supported")

    def struct(self) -> dict[int, object]:
        out: dict[int, object] = {}
        fid = 0
        while True:
            head = self.byte()
            if head == 0:
                return out
            delta, t = head >> 4, head & 0x0F
            fid = fid + delta if delta else self.zigzag()
            out[fid] = self.value(t)


# -- snappy (raw block format) ---------------------------------------------------------------


def snappy_decompress(data: bytes) -> bytes:
    r = _Reader(data)
    n = r.varint()
    out = bytearray()
    pos, end = r.pos, len(data)
    while pos < end:
        tag = data[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:  # literal
            ln = tag >> 2
            if ln >= 60:
                nb = ln - 59
                ln = int.from_bytes(data[pos : pos + nb], "little")
                pos += nb
            ln += 1
            out += data[pos : pos + ln]
            pos += ln
            continue
        if kind == 1:
            ln = ((tag >> 2) & 7) + 4
            off = ((tag >> 5) << 8) | data[pos]
            pos += 1
        elif kind == 2:
            ln = (tag >> 2) + 1
            off = int.from_bytes(data[pos : pos + 2], "little")
            pos += 2
        else:
            ln = (tag >> 2) + 1
            off = int.from_bytes(data[pos : pos + 4], "little")
            pos += 4
        if off <= 0 or off > len(out):
            raise ValueError("corrupt snappy data (bad copy offset)")
        start = len(out) - off
        if off >= ln:
            out += out[start : start + ln]
        else:  # overlapping copy repeats the last `off` bytes
            chunk = out[start:]
            out += (chunk * (ln // off + 1))[:ln]
    if len(out) != n:
        raise ValueError(f"corrupt snappy data ({len(out)} bytes, header says {n})")
    return bytes(out)


# -- encodings -------------------------------------------------------------------------------


def _hybrid(buf: bytes, pos: int, end: int, bit_width: int, count: int) -> np.ndarray:
    """RLE / bit-packed hybrid run of ``count`` unsigned ints from ``buf[pos:end]``."""
    r = _Reader(buf, pos)
    parts: list[np.ndarray] = []
    got = 0
    nbytes = (bit_width + 7) // 8
    weights = (1 << np.arange(bit_width, dtype=np.int64)) if bit_width else None
    while got < count and r.pos < end:
        header = r.varint()
        if header & 1:  # bit-packed: (header >> 1) groups of 8 values
            n = (header >> 1) * 8
            raw = np.frombuffer(buf, np.uint8, n * bit_width // 8, r.pos)
            r.pos += n * bit_width // 8
            bits = np.unpackbits(raw, bitorder="little").reshape(n, bit_width)
            parts.append(bits.astype(np.int64) @ weights)
        else:  # run of one repeated value
            n = header >> 1
            v = int.from_bytes(buf[r.pos : r.pos + nbytes], "little")
            r.pos += nbytes
            parts.append(np.full(n, v, np.int64))
        got += n
    out = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    if len(out) < count:
        raise ValueError("corrupt RLE data (too few values)")
    return out[:count]


def _plain_byte_arrays(buf: bytes, pos: int, count: int) -> tuple[list[bytes], int]:
    out = []
    for _ in range(count):
        (n,) = struct.unpack_from("<I", buf, pos)
        pos += 4
        out.append(buf[pos : pos + n])
        pos += n
    return out, pos


# -- file ------------------------------------------------------------------------------------

_UNCOMPRESSED, _SNAPPY = 0, 1
_PLAIN, _PLAIN_DICTIONARY, _RLE_DICTIONARY = 0, 2, 8


def read_string_column(data: bytes, column: str | None = None) -> list[str]:
    """All values of one BYTE_ARRAY (string) column of a Parquet file, decoded as UTF-8."""
    if data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise ValueError("not a Parquet file")
    (flen,) = struct.unpack_from("<I", data, len(data) - 8)
    meta = _Reader(data, len(data) - 8 - flen).struct()
    schema = meta[2]
    leaves = [e for e in schema[1:] if 5 not in e or not e[5]]  # field 5: num_children
    names = [e[4].decode() for e in leaves]
    idx = names.index(column) if column is not None else 0
    leaf = leaves[idx]
    if leaf.get(1) != 6:
        raise ValueError(f"column {names[idx]} is not a byte-array column")
    optional = leaf.get(3, 0) == 1
    values: list[bytes] = []
    for rg in meta[4]:
        cm = rg[1][idx][3]
        codec, num_values = cm[4], cm[5]
        pos = cm.get(11) or cm[9]  # dictionary page first when there is one
        dictionary: list[bytes] | None = None
        seen = 0
        while seen < num_values:
            r = _Reader(data, pos)
            header = r.struct()
            ptype, usize, csize = header[1], header[2], header[3]
            body_start = r.pos
            body = data[body_start : body_start + csize]
            pos = body_start + csize

            def inflate(b: bytes) -> bytes:
                if codec == _UNCOMPRESSED:
                    return b
                if codec == _SNAPPY:
                    return snappy_decompress(b)
                raise ValueError(f"Parquet codec {codec} not supported (only none and snappy)")

            if ptype == 2:  # dictionary page
                n = header[7][1]
                dictionary, _ = _plain_byte_arrays(inflate(body), 0, n)
                continue
            if ptype == 0:  # data page v1: levels and values compressed together
                dh = header[5]
                n, enc = dh[1], dh[2]
                page = inflate(body)
                p = 0
                if optional:
                    (ln,) = struct.unpack_from("<I", page, 0)
                    defs = _hybrid(page, 4, 4 + ln, 1, n)
                    p = 4 + ln
                    if not defs.all():
                        raise ValueError("null values are not supported")
            elif ptype == 3:  # data page v2: levels uncompressed, values maybe compressed
                dh = header[8]
                n, nulls, enc = dh[1], dh[2], dh[4]
                dl, rl = dh.get(5, 0), dh.get(6, 0)
                if nulls:
                    raise ValueError("null values are not supported")
                rest = body[dl + rl :]
                page = inflate(rest) if dh.get(7, True) else rest
                p = 0
            else:
                continue  # index pages and the like
            if enc == _PLAIN:
                vals, _ = _plain_byte_arrays(page, p, n)
            elif enc in (_PLAIN_DICTIONARY, _RLE_DICTIONARY):
                if dictionary is None:
                    raise ValueError("dictionary-encoded page without a dictionary")
                bw = page[p]
                ids = _hybrid(page, p + 1, len(page), bw, n)
                vals = [dictionary[i] for i in ids.tolist()]
            else:
                raise ValueError(f"Parquet encoding {enc} not supported")
            values.extend(vals)
            seen += n
    return [v.decode("utf-8") for v in values]
