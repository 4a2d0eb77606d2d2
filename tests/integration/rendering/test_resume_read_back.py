"""Every resume JobWise prints reads back into the profile it was printed from: three
real public resumes and one in Chinese and Japanese, each written by the built-in
writer for a real posting, in every template, as PDF and as DOCX."""

from __future__ import annotations

import pytest

from jobwise.adapters.interop.resume_file.accuracy import score
from jobwise.adapters.rendering import Renderer
from tests.support.resume_round_trip import CASES, FORMATS, TEMPLATES, printed, read_back

pytestmark = pytest.mark.slow  # Chromium prints 8 files per case


@pytest.mark.parametrize("case", CASES)
async def test_a_printed_resume_reads_back_into_its_profile(renderer: Renderer, case: str) -> None:
    resume = printed(case)
    for template in TEMPLATES:
        for form in FORMATS:
            answer = await read_back(renderer, resume.markdown, template, form)
            result = score(answer["draft"], resume.expected)
            # One known miss: compact's narrow column wraps one long "Title, Company"
            # head (kyle-oliver's Dota 2 role), and the wrapped half is read as a company.
            assert result.accuracy >= 0.94, (template, form, result.misses)
            if form.value == "docx" or case in ("craig-gardener", "cjk"):
                assert result.misses == [], (template, form)


async def test_the_chinese_resume_keeps_its_characters(renderer: Renderer) -> None:
    resume = printed("cjk")
    for template in TEMPLATES:
        for form in FORMATS:
            draft = (await read_back(renderer, resume.markdown, template, form))["draft"]
            assert draft["personal_info"]["full_name"] == "王小明"
            assert [e["company"] for e in draft["experiences"]] == ["字节跳动", "株式会社メルカリ"]
            assert draft["education"][0]["institution"] == "清华大学"
            languages = {item["name"] for item in draft["skills"]["languages"]}
            assert {"中文", "English", "日本語"} <= languages, languages
