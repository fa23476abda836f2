"""Undo a PDF stream's general-purpose filters with a cap on the output, to measure it safely.

Flate, LZW, RunLength, ASCIIHex and ASCII85 are decoded here, each stage stopping
as soon as its output passes the cap, so a stream that inflates to gigabytes costs
at most the cap in memory and a fraction of a second. Image codecs (DCT, JPX, JBIG2,
CCITT) end the chain: nothing that reads text, fonts or geometry decodes them.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Callable, Mapping

Parameters = Mapping[str, object]
CHUNK = 64 * 1024  # compressed bytes fed to zlib at a time


class TooLarge(Exception):
    """A stream decodes to more than its cap."""


def _inflate(data: bytes, parameters: Parameters, cap: int) -> bytes:
    """Flate: zlib with max_length, so no call returns more than the cap allows.

    Damaged data ends the stream where it breaks, as readers do. Predictors only
    shrink the data, so they are left undone: the size is an upper bound.
    """
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a zlib or gzip header
    out = bytearray()
    for start in range(0, len(data), CHUNK):
        piece = data[start:start + CHUNK]
        while piece and not inflater.eof:
            try:
                out += inflater.decompress(piece, cap + 1 - len(out))
            except zlib.error:
                return bytes(out)
            if len(out) > cap:
                raise TooLarge
            piece = inflater.unconsumed_tail
        if inflater.eof:
            break
    return bytes(out)


def _lzw(data: bytes, parameters: Parameters, cap: int) -> bytes:
    """LZW, as PDF writes it: 9 to 12-bit codes, 256 clears the table, 257 ends the data."""
    early = 1 if parameters.get("/EarlyChange", 1) != 0 else 0
    table = [bytes([value]) for value in range(256)] + [b"", b""]
    out = bytearray()
    width, buffer, bits = 9, 0, 0
    previous: bytes | None = None
    for byte in data:
        buffer, bits = (buffer << 8) | byte, bits + 8
        while bits >= width:
            bits -= width
            code = buffer >> bits
            buffer &= (1 << bits) - 1
            if code == 256:
                del table[258:]
                width, previous = 9, None
                continue
            if code == 257:
                return bytes(out)
            if code < len(table):
                entry = table[code]
                if previous is not None and len(table) < 4096:
                    table.append(previous + entry[:1])
            elif code == len(table) and previous is not None:
                entry = previous + previous[:1]
                table.append(entry)
            else:
                return bytes(out)  # damaged: readers stop here too
            out += entry
            if len(out) > cap:
                raise TooLarge
            previous = entry
            if len(table) + early >= 1 << width and width < 12:
                width += 1
    return bytes(out)


def _run_length(data: bytes, parameters: Parameters, cap: int) -> bytes:
    out = bytearray()
    index = 0
    while index < len(data):
        length = data[index]
        if length == 128:
            break
        if length < 128:
            out += data[index + 1:index + 2 + length]
            index += 2 + length
        else:
            out += data[index + 1:index + 2] * (257 - length)
            index += 2
        if len(out) > cap:
            raise TooLarge
    return bytes(out)


def _ascii_hex(data: bytes, parameters: Parameters, cap: int) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


def _ascii85(data: bytes, parameters: Parameters, cap: int) -> bytes:
    text = re.sub(rb"\s", b"", data.split(b"~>", 1)[0]).removeprefix(b"<~")
    zeros = text.count(b"z")  # each 'z' stands for four zero bytes
    if 4 * zeros + (len(text) - zeros) * 4 // 5 > cap:
        raise TooLarge
    try:
        return base64.a85decode(text)
    except ValueError:
        return b""


DECODERS: dict[str, Callable[[bytes, Parameters, int], bytes]] = {
    "/FlateDecode": _inflate, "/Fl": _inflate,
    "/LZWDecode": _lzw, "/LZW": _lzw,
    "/RunLengthDecode": _run_length, "/RL": _run_length,
    "/ASCIIHexDecode": _ascii_hex, "/AHx": _ascii_hex,
    "/ASCII85Decode": _ascii85, "/A85": _ascii85,
}


def decode(data: bytes, filters: list[tuple[str, Parameters]], cap: int) -> bytes:
    """`data` with its general-purpose filters undone, in order; `TooLarge` past `cap` bytes.

    The chain stops at the first filter that is not general-purpose (an image codec, or
    one no reader knows): what follows is never decoded to read text or geometry.
    """
    if len(data) > cap:
        raise TooLarge
    for name, parameters in filters:
        decoder = DECODERS.get(name)
        if decoder is None:
            break
        data = decoder(data, parameters, cap)
        if len(data) > cap:
            raise TooLarge
    return data
