"""Generation: the logic inside the first four stages of a tailored resume or cover letter.

Pure and deterministic (the LLM writer aside, which goes through the ``LanguageModel``
port); the worker runs one call per stage and records each output's ``summary()``::

    analysis = analyze_job(job_document)                              # analyzing_job
    compiled = compile_profile(profile_summary, analysis, options, today=today)
    draft = write_offline("resume", compiled, analysis, options)      # generating_content
    # or: draft = await write_with_llm(model, "resume", compiled, analysis, options)
    report = validate(draft.markdown, "resume", profile_summary, analysis, options)
    report.markdown          # the cleaned document; report.removed says what was taken out
    markdown_to_text(report.markdown)                                 # content_text

``validate`` also re-checks a document the user edited (``POST /generations/{id}/validate``).
"""

from jobwise.domain.writing.analysis import JobInput, analyze_job
from jobwise.domain.writing.compiling import compile_profile
from jobwise.domain.writing.llm_writer import LlmCoverLetter, LlmResume, write_with_llm
from jobwise.domain.writing.markdown import markdown_to_text
from jobwise.domain.writing.models import (
    AtsCheck,
    CompiledProfile,
    DocumentKind,
    Draft,
    GenerationOptions,
    JobAnalysis,
    KeywordCoverage,
    Removal,
    ValidationReport,
)
from jobwise.domain.writing.offline import write_offline
from jobwise.domain.writing.validation import validate

__all__ = [
    "AtsCheck",
    "CompiledProfile",
    "DocumentKind",
    "Draft",
    "GenerationOptions",
    "JobAnalysis",
    "JobInput",
    "KeywordCoverage",
    "LlmCoverLetter",
    "LlmResume",
    "Removal",
    "ValidationReport",
    "analyze_job",
    "compile_profile",
    "markdown_to_text",
    "validate",
    "write_offline",
    "write_with_llm",
]
