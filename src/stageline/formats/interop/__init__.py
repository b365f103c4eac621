"""Blueprints in and out of other tools: journey maps, spreadsheets, Blueprint
Signal, draw.io, JSON Canvas, Mermaid and Markdown. `registry` maps file
extensions and format names to readers and writers; each format is its own module.
"""
