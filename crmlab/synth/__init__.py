"""Synthetic company worlds (合成的公司数据): customers, transactions, surveys, service, pipeline.

``generate(scenario, customers, seed, locale)`` returns a :class:`World` whose tables agree with
each other and whose latent truth (``world["truth"]``) lets a lesson show that a model recovers
what generated the data. Tables and columns: datasets/SCHEMA.md.
"""
from crmlab.synth.generate import SCENARIO_NAMES, generate
from crmlab.synth.pools import LOCALES
from crmlab.synth.world import TABLES, World

__all__ = ["generate", "World", "TABLES", "SCENARIO_NAMES", "LOCALES"]
