"""Accounts for people: users invited by an admin, passwords, browser sessions and throttled sign-ins.

A signed-in person is the same `Principal` as an API token of their role and binding would be
(service/access.py), so the pages and the API apply one rule set. docs/accounts.md has the choices.
"""
