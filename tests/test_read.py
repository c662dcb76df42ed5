"""Read stage: any common encoding of a reply gives the same text; anything else gets a one-line error."""

import codecs

import pytest

from loaders.errors import LoaderError
from loaders.read import decode_reply, load_reply

REPLY = "截至2023年5月底,全市共有注册登记的社会组织3424家。\n乐山市民政局\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_decode_to_the_same_text(encoding):
    assert decode_reply(REPLY.encode(encoding), "r.txt") == REPLY


def test_big5_traditional_text_decodes():
    text = "衢州市民政局關於社會組織的答覆,全市共有社會組織3424家。"
    assert decode_reply(text.encode("big5"), "r.txt") == text


def test_utf16_without_bom_decodes():
    assert decode_reply(REPLY.encode("utf-16-le"), "r.txt") == REPLY


def test_crlf_is_kept_by_read_and_normalised_by_clean():
    assert decode_reply(REPLY.replace("\n", "\r\n").encode("utf-8"), "r.txt") == REPLY.replace("\n", "\r\n")


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b"   \n\t  \r\n", "is empty"),
    (b"%PDF-1.7\n%\xe2\xe3", "is a PDF document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "is a PNG image"),
    ("社会组织".encode() + b"\x00\x01\x02" + "3424家".encode(), "NUL bytes"),
])
def test_non_text_gets_one_line_error_naming_the_file(data, message):
    with pytest.raises(LoaderError) as exc:
        decode_reply(data, "data/raw/bad.txt")
    line = exc.value.one_line()
    assert line.startswith("data/raw/bad.txt: ") and message in line and "\n" not in line


def test_missing_file(tmp_path):
    with pytest.raises(LoaderError, match="does not exist"):
        load_reply(tmp_path / "nope.txt")


def test_utf8_bom_is_dropped():
    assert decode_reply(codecs.BOM_UTF8 + "社会组织".encode(), "r.txt") == "社会组织"
