"""Bytes → text for plain-text inputs, refusing binary junk and saying when a guess was made."""

from __future__ import annotations

from charset_normalizer import from_bytes


class NotText(ValueError):
    """The bytes are not text in any encoding worth guessing."""


def _control_ratio(text: str) -> float:
    sample = text[:20_000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0)
    return bad / len(sample)


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode ``data``; return the text and warnings for the user.

    UTF-8 (and a declared encoding) is tried first because it is what almost every source sends;
    anything else is a guess by charset-normalizer, reported so a wrong guess is noticed.
    """
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotText("binary data (NUL bytes), not text")
    for encoding in filter(None, (declared, "utf-8-sig")):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _control_ratio(text) > 0.02:
            raise NotText("binary data (control characters), not text")
        return text, []
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise NotText("not valid UTF-8 and no text encoding fits")
    text = data.decode(best.encoding, errors="replace")
    if _control_ratio(text) > 0.02 or text.count("\ufffd") > max(3, len(text) // 200):
        raise NotText("binary data, not text")
    return text, [f"not valid UTF-8; decoded as {best.encoding}"]
