"""Skills: the canonical skill taxonomy shared by job parsing, profiles and generation.

``default_taxonomy()`` is the shipped taxonomy; see ``jobwise.domain.skills.taxonomy`` for the
data format and the matching rules.
"""

from jobwise.domain.skills.taxonomy import (
    CATEGORIES,
    Skill,
    SkillMention,
    SkillTaxonomy,
    SkillTaxonomyError,
    default_taxonomy,
)

__all__ = [
    "CATEGORIES",
    "Skill",
    "SkillMention",
    "SkillTaxonomy",
    "SkillTaxonomyError",
    "default_taxonomy",
]
