"""Skills: the canonical skill taxonomy shared by job parsing, profiles and generation.

``default_taxonomy()`` is the shipped taxonomy; see ``jobwise.skills.taxonomy`` for the
data format and the matching rules.
"""

from jobwise.skills.taxonomy import (
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
