"""The rule language: facts, their derivations, conditions and rules.

The lowest layer: everything else builds on it, and it imports nothing from
above. Its names reach users through the package facade
(:mod:`outsourcing_rules`); the modules here are private.
"""
