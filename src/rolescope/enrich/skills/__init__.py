"""Skill extraction: taxonomy skills found in job-ad text, with offsets, section and requirement."""

from rolescope.enrich.skills.extract import EXTRACTOR_NAME, MENTION_COLUMNS, SkillExtractor, SkillMention

__all__ = ["EXTRACTOR_NAME", "MENTION_COLUMNS", "SkillExtractor", "SkillMention"]
